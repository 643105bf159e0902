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

/// Whether a server URL names its database, in its path or in PostgreSQL's `dbname`
/// parameter. Without one the server picks: PostgreSQL the user's name or its maintenance
/// database `postgres`, MySQL none at all. A URL without a server (SQLite) always does.
pub fn names_database(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return true;
    };
    if !matches!(
        scheme.to_ascii_lowercase().as_str(),
        "postgres" | "postgresql" | "mysql" | "mariadb"
    ) {
        return true;
    }
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let path = before_query
        .find('/')
        .map_or("", |i| &before_query[i + 1..]);
    !path.is_empty()
        || query.is_some_and(|q| {
            q.split('&').any(|p| {
                p.split_once('=')
                    .is_some_and(|(k, v)| k == "dbname" && !v.is_empty())
            })
        })
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
    fn a_server_url_names_its_database() {
        for url in [
            "postgres://u@h:5432/app",
            "postgres://u@h:5432?dbname=app",
            "mysql://root@h/test",
            "sqlite://x.db",
            "sqlite::memory:",
        ] {
            assert!(names_database(url), "{url}");
        }
        for url in [
            "postgres://postgres@127.0.0.1:5432",
            "postgres://postgres@127.0.0.1:5432/",
            "postgresql://u:p@h?sslmode=disable",
            "mysql://root@127.0.0.1:3306",
            "mariadb://root@h/?dbname=",
        ] {
            assert!(!names_database(url), "{url}");
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
