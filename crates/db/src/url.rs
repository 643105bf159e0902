/// `postgres://user:secret@host/db?password=x` -> `postgres://user:***@host/db?password=***`:
/// URLs in messages never carry a password, in the user part or in a query parameter.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (authority, tail) = match before_query.find('/') {
        Some(i) => before_query.split_at(i),
        None => (before_query, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let query = query.map(|q| {
        let params: Vec<String> = q
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if is_secret(k) => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        format!("?{}", params.join("&"))
    });
    format!("{scheme}://{authority}{tail}{}", query.unwrap_or_default())
}

/// Why a URL names no database to act on, or `None` when it names one: in its path, in
/// PostgreSQL's `dbname` parameter, or, for SQLite, a file or `:memory:`. Without one a server
/// picks for itself (PostgreSQL the database named like the user, MySQL and MariaDB none at
/// all), and SQLite's empty file name is a private temporary database gone when it closes. The
/// answer is the sentence's end: `… names no database, {answer}`.
pub fn missing_database(url: &str) -> Option<&'static str> {
    let (scheme, rest) = match url.split_once("://") {
        Some(parts) => parts,
        None => url.split_once(':')?,
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => before_query.trim_start_matches('/').is_empty().then_some(
            "so SQLite would make a temporary one that is gone when autogen exits; name the file, \
             e.g. `sqlite://app.db?mode=rwc` (or `sqlite::memory:` for one in memory)",
        ),
        s @ ("postgres" | "postgresql" | "mysql" | "mariadb") => {
            let path = before_query
                .find('/')
                .map_or("", |i| &before_query[i + 1..]);
            let dbname = query.is_some_and(|q| {
                q.split('&').any(|p| {
                    p.split_once('=')
                        .is_some_and(|(k, v)| k == "dbname" && !v.is_empty())
                })
            });
            if !path.is_empty() || dbname {
                None
            } else if s.starts_with("postgres") {
                Some(
                    "so the server would choose one (PostgreSQL: the database named like the \
                     user, often the maintenance database `postgres`); add the one to act on, \
                     e.g. `/app` (to act on that default, name it: `/postgres`)",
                )
            } else {
                Some(
                    "so there is none to act on (MySQL and MariaDB connect to no database); add \
                     the one to act on, e.g. `/app`",
                )
            }
        }
        _ => None,
    }
}

/// Query parameters that carry a secret (`password`, `sslpassword`, `pass`…).
fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password") || key == "pass" || key == "pwd" || key.contains("secret")
}

/// Hides every secret a URL carries wherever it appears in `text` (a message a database or a
/// tool wrote, which may quote the URL).
pub fn redact_in(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redact_url(url));
    if let Some((_, rest)) = url.split_once("://")
        && let Some((userinfo, _)) = rest.split_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
        && !password.is_empty()
    {
        out = out.replace(password, "***");
    }
    if let Some((_, query)) = url.split_once('?') {
        for p in query.split('&') {
            if let Some((k, v)) = p.split_once('=')
                && is_secret(k)
                && !v.is_empty()
            {
                out = out.replace(v, "***");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_its_database() {
        for url in [
            "postgres://u@h:5432/app",
            "postgres://u@h:5432?dbname=app",
            "mysql://root@h/test",
            "sqlite://x.db",
            "sqlite:x.db?mode=rwc",
            "sqlite:///tmp/x.db",
            "sqlite::memory:",
        ] {
            assert_eq!(missing_database(url), None, "{url}");
        }
        for (url, says) in [
            ("postgres://postgres@127.0.0.1:5432", "PostgreSQL"),
            ("postgres://postgres@127.0.0.1:5432/", "PostgreSQL"),
            ("postgresql://u:p@h?sslmode=disable", "PostgreSQL"),
            ("mysql://root@127.0.0.1:3306", "MySQL and MariaDB"),
            ("mariadb://root@h/?dbname=", "MySQL and MariaDB"),
            ("sqlite://", "SQLite"),
            ("sqlite:", "SQLite"),
            ("sqlite://?mode=rwc", "SQLite"),
        ] {
            let why = missing_database(url).unwrap_or_else(|| panic!("{url}"));
            assert!(why.contains(says), "{url}: {why}");
        }
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:s3cret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(
            redact_url("postgres://u@h/db?sslmode=disable&password=hunter2"),
            "postgres://u@h/db?sslmode=disable&password=***"
        );
        assert_eq!(
            redact_url("mysql://u:p@h?ssl-mode=required&PASSWORD=x"),
            "mysql://u:***@h?ssl-mode=required&PASSWORD=***"
        );
    }

    #[test]
    fn redacts_secrets_quoted_in_messages() {
        let url = "postgres://u:s3cret@h/db?password=hunter2";
        let msg = "failed for postgres://u:s3cret@h/db?password=hunter2 (password hunter2, s3cret)";
        let out = redact_in(msg, url);
        assert!(!out.contains("s3cret") && !out.contains("hunter2"), "{out}");
    }
}
