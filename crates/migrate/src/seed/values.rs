//! Values a column of each type accepts, as SQL literals: boundary numbers, maximum-length and
//! non-ASCII strings, edge timestamps, every enum value, and a value of its own per row where
//! the column must be unique. Drawn from [`Rng`], so a seed replays them exactly.

use autogen_schema::{ColumnType, Schema, SqlDialect};

/// SplitMix64: small, fast, and the same sequence on every platform and in every autogen
/// version that keeps this file, which is what makes `--random-seed` replay a run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What one value is drawn for.
#[derive(Clone, Copy)]
pub(crate) struct Want<'a> {
    pub ty: &'a ColumnType,
    /// The column is part of a key or unique constraint: a value no other row has.
    pub unique: bool,
    /// A number no other row of this run has had, for unique values.
    pub serial: u64,
    /// The last attempt at a row: plain ASCII and small values, for tables whose character
    /// set or CHECKs refuse the rest.
    pub plain: bool,
    /// Values the table's CHECKs name for this column (`status IN ('a', 'b')`).
    pub named: &'a [String],
}

/// Text with a quote, a backslash and characters outside ASCII (all in the Basic Multilingual
/// Plane, which MySQL's `utf8mb3` also stores).
const SAMPLE: &str = "Zoë O'Brien \\ 日本 ß Ω";

/// A literal of `want.ty`, or `None` when autogen cannot make one (a type it does not model).
pub(crate) fn literal(
    want: &Want,
    rng: &mut Rng,
    sql: &dyn SqlDialect,
    schema: &Schema,
) -> Option<String> {
    use ColumnType as T;
    let text = |s: String| Some(sql.string_literal(&s));
    // Values the column may only take (a CHECK's list, partition bounds, an enum's values), in
    // turn, so that every one is used.
    let listed = (!want.named.is_empty())
        .then(|| want.named.to_vec())
        .or_else(|| enum_values(schema, want.ty));
    if let Some(values) = listed {
        return text(
            values
                .get((want.serial as usize) % values.len().max(1))?
                .clone(),
        );
    }
    match &sql.without_display_width(want.ty) {
        T::TinyInteger => integer(want, rng, -128, 127),
        T::SmallInteger => integer(want, rng, i16::MIN.into(), i16::MAX.into()),
        T::Integer => integer(want, rng, i32::MIN.into(), i32::MAX.into()),
        T::BigInteger => integer(want, rng, i64::MIN.into(), i64::MAX.into()),
        T::TinyUnsigned => integer(want, rng, 0, 255),
        T::SmallUnsigned => integer(want, rng, 0, u16::MAX.into()),
        T::Unsigned => integer(want, rng, 0, u32::MAX.into()),
        T::BigUnsigned => integer(want, rng, 0, u64::MAX.into()),
        T::Float | T::Double => Some(float(want, rng)),
        T::Decimal(precision) => Some(decimal(want, rng, *precision)),
        T::Char(n) => text(string(want, rng, n.unwrap_or(1), true)),
        T::String(n) => text(string(want, rng, n.unwrap_or(300), false)),
        T::Text => text(string(want, rng, 2000, false)),
        T::Boolean => Some(if rng.one_in(2) { "TRUE" } else { "FALSE" }.to_string()),
        T::Date => text(timestamp(want, rng)[..10].to_string()),
        T::Time => text(timestamp(want, rng)[11..].to_string()),
        T::DateTime | T::Timestamp | T::TimestampWithTimeZone => text(timestamp(want, rng)),
        T::Uuid => text(uuid(want, rng)),
        T::Json | T::JsonBinary => text(json(want, rng)),
        T::Binary(n) => Some(sql.bytes_literal(&bytes(want, rng, *n as usize, true))),
        T::VarBinary(n) => {
            Some(sql.bytes_literal(&bytes(want, rng, n.unwrap_or(64) as usize, false)))
        }
        T::Blob => Some(sql.bytes_literal(&bytes(want, rng, 256, false))),
        // An enum whose type the catalog does not hold.
        T::Enum(_) => None,
        T::Array(inner) => array(inner),
        // A type autogen does not model: a value the dialect knows of it (a range, a spatial
        // value), or else digits in a string, which more types take than any other text
        // (a domain over a number, `citext`, `money`, `ltree`, SQLite's `enum_text`); one the
        // database refuses is drawn again, and plainly (NULL where allowed) the last time.
        T::Custom(decl) => sql.custom_literal(decl, want.serial).or_else(|| {
            // Small numbers on the last attempt: a domain's CHECK may bound them.
            let n = if want.unique && !want.plain {
                want.serial
            } else {
                want.serial % 100
            };
            text(n.to_string())
        }),
    }
}

fn integer(want: &Want, rng: &mut Rng, min: i128, max: i128) -> Option<String> {
    let n = if want.unique {
        // Small positive numbers, one per row: every key type holds them.
        (want.serial as i128 % max.max(1)) + 1
    } else if want.plain {
        1
    } else {
        let span = (max - min) as u128;
        let random = min + (u128::from(rng.next_u64()) % span.max(1)) as i128;
        *rng.pick(&[0, 1, min.max(-1), min, max, random])
    };
    Some(n.to_string())
}

/// Numbers a `float` holds exactly, so that their text reads back the same.
fn float(want: &Want, rng: &mut Rng) -> String {
    if want.unique {
        return format!("{}.5", want.serial);
    }
    if want.plain {
        return "1.5".into();
    }
    rng.pick(&["0", "0.5", "-1.25", "1048576.5", "-0.0078125", "3.0"])
        .to_string()
}

/// `precision` digits with `scale` after the point: the largest, its negative, zero, or a
/// random one.
fn decimal(want: &Want, rng: &mut Rng, precision: Option<(u32, u32)>) -> String {
    let (p, s) = precision.unwrap_or((30, 6));
    let whole = p.saturating_sub(s) as usize;
    let with_scale = |int: String| {
        if s == 0 {
            int
        } else {
            format!("{int}.{}", "5".repeat(s as usize))
        }
    };
    if want.unique {
        let digits = want.serial.to_string();
        return with_scale(if digits.len() <= whole {
            digits
        } else {
            "0".into()
        });
    }
    if want.plain || whole == 0 {
        return with_scale("0".into());
    }
    let nines =
        format!("{}{}", "9".repeat(whole), if s > 0 { "." } else { "" }) + &"9".repeat(s as usize);
    let random: String = (0..whole.min(12))
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect();
    match rng.below(4) {
        0 => nines,
        1 => format!("-{nines}"),
        2 => with_scale("0".into()),
        _ => with_scale(random),
    }
}

/// A string of at most `max` characters: empty, the longest, non-ASCII, or random; a unique
/// one starts with the row's serial. `exact`: every value is `max` long (`char(n)`).
fn string(want: &Want, rng: &mut Rng, max: u32, exact: bool) -> String {
    let max = max as usize;
    let fill = |prefix: String, chars: &str, len: usize| -> String {
        let mut out = prefix;
        let mut source = chars.chars().cycle();
        while out.chars().count() < len {
            out.push(source.next().unwrap_or('x'));
        }
        let out: String = out.chars().take(len).collect();
        // A trailing space is padding to MySQL's CHAR and its PAD SPACE collations.
        let trimmed = out.trim_end().len();
        let mut out = out[..trimmed].to_string();
        while exact && out.chars().count() < len {
            out.push('x');
        }
        out
    };
    let chars = if want.plain { "abcxyz" } else { SAMPLE };
    if want.unique {
        let prefix = format!("{}-", want.serial);
        let len = if exact {
            max
        } else {
            prefix.len().min(max) + rng.below(4) as usize
        };
        return fill(prefix, chars, len.min(max));
    }
    if want.plain {
        return fill(String::new(), chars, if exact { max } else { max.min(3) });
    }
    let len = if exact {
        max
    } else {
        let random = rng.below(max as u64 + 1) as usize;
        *rng.pick(&[0, max, max.min(12), random])
    };
    let start = rng.below(SAMPLE.chars().count() as u64) as usize;
    let rotated: String = SAMPLE
        .chars()
        .skip(start)
        .chain(SAMPLE.chars().take(start))
        .collect();
    fill(String::new(), &rotated, len)
}

/// Dates and times every dialect stores, MySQL's `TIMESTAMP` included (1970–2038): the day
/// after the epoch, a leap day, the last day before 2038's limit, and random ones.
fn timestamp(want: &Want, rng: &mut Rng) -> String {
    if want.unique {
        let day = want.serial % 20_000;
        return day_time(day, want.serial % 86_400);
    }
    if want.plain {
        return "2001-02-03 04:05:06".into();
    }
    match rng.below(5) {
        0 => "1970-01-02 00:00:00".into(),
        1 => "2000-02-29 23:59:59".into(),
        2 => "2038-01-18 12:00:00".into(),
        _ => day_time(rng.below(24_000), rng.below(86_400)),
    }
}

/// `YYYY-MM-DD HH:MM:SS` for `day` days after 1970-01-02 and `second` seconds into it.
fn day_time(day: u64, second: u64) -> String {
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = day as i64 + 1 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        second / 3600,
        second / 60 % 60,
        second % 60
    )
}

fn uuid(want: &Want, rng: &mut Rng) -> String {
    let hi = if want.unique {
        want.serial
    } else {
        rng.next_u64()
    };
    let lo = rng.next_u64();
    let hex = format!("{hi:016x}{lo:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn json(want: &Want, rng: &mut Rng) -> String {
    if want.unique {
        return format!("{{\"n\": {}}}", want.serial);
    }
    if want.plain {
        return "{}".into();
    }
    rng.pick(&[
        "{}",
        "[]",
        "{\"a\": 1, \"b\": [true, null], \"s\": \"Zoë 日本\"}",
        "\"text\"",
        "-12.5",
    ])
    .to_string()
}

fn bytes(want: &Want, rng: &mut Rng, max: usize, exact: bool) -> Vec<u8> {
    let len = if exact || want.unique {
        max
    } else {
        rng.below(max as u64 + 1) as usize
    };
    let mut out: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
    if want.unique {
        for (i, b) in want.serial.to_be_bytes().iter().rev().enumerate() {
            if let Some(slot) = out.get_mut(i) {
                *slot = *b;
            }
        }
    }
    out
}

/// An array of a simple element type, in PostgreSQL's array text form.
fn array(inner: &ColumnType) -> Option<String> {
    use ColumnType as T;
    let items = match inner {
        T::SmallInteger | T::Integer | T::BigInteger => "{1,-2,3}",
        T::String(_) | T::Text => "{\"a\",\"Zoë\"}",
        T::Boolean => "{true,false}",
        _ => "{}",
    };
    Some(format!("'{items}'"))
}

/// The values of an enum column's type: PostgreSQL's named type, MySQL's `enum(…)`.
pub(crate) fn enum_values(schema: &Schema, ty: &ColumnType) -> Option<Vec<String>> {
    match ty {
        ColumnType::Enum(name) => Some(schema.enums.get(name)?.values.clone()),
        ColumnType::Custom(decl) => autogen_schema::dialect::mysql_enum_values(decl),
        _ => None,
    }
}

/// The `'…'` strings of `text`, `''` read as one quote.
pub(crate) fn quoted_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    s.push('\'');
                    continue;
                }
                break;
            }
            s.push(c);
        }
        out.push(s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_replays_the_same_numbers() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(Rng::new(8).next_u64(), xs[0]);
    }

    #[test]
    fn dates_are_civil_dates() {
        assert_eq!(day_time(0, 0), "1970-01-02 00:00:00");
        assert_eq!(day_time(10_956, 3_661), "2000-01-01 01:01:01");
        assert_eq!(day_time(11_015, 0), "2000-02-29 00:00:00");
    }

    #[test]
    fn check_strings_are_read() {
        assert_eq!(
            quoted_strings("(status IN ('pending', 'paid'))"),
            vec!["pending", "paid"]
        );
    }

    #[test]
    fn strings_keep_to_their_length() {
        let mut rng = Rng::new(1);
        for serial in 0..50 {
            let want = Want {
                ty: &ColumnType::String(Some(5)),
                unique: serial % 2 == 0,
                serial,
                plain: false,
                named: &[],
            };
            let s = string(&want, &mut rng, 5, false);
            assert!(s.chars().count() <= 5, "{s}");
            assert_eq!(s, s.trim_end());
            let c = string(&want, &mut rng, 4, true);
            assert_eq!(c.chars().count(), 4, "{c}");
        }
    }
}
