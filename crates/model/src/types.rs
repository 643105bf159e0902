//! Rust types and `ColumnType` expressions -> [`ColumnType`], following SeaORM's
//! `ValueType::column_type()` implementations.

use autogen_schema::ColumnType;
use syn::{Expr, GenericArgument, Lit, PathArguments, Type};

/// Unwraps `Option<T>`: returns (inner, nullable).
pub fn unwrap_option(ty: &Type) -> (&Type, bool) {
    if let Some(inner) = generic_arg(ty, "Option") {
        (inner, true)
    } else {
        (ty, false)
    }
}

/// The first generic argument of `ty` if its last path segment is `ident`.
pub fn generic_arg<'a>(ty: &'a Type, ident: &str) -> Option<&'a Type> {
    let Type::Path(p) = ty else { return None };
    let seg = p.path.segments.last()?;
    if seg.ident != ident {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &seg.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// The last path segment's identifier (`chrono::NaiveDate` -> `NaiveDate`).
pub fn last_ident(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    p.path.segments.last().map(|s| s.ident.to_string())
}

/// The column type SeaORM derives for a (non-`Option`) Rust field type, if it is a known one.
pub fn rust_type_to_column(ty: &Type) -> Option<ColumnType> {
    use ColumnType as T;
    if let Some(inner) = generic_arg(ty, "Vec") {
        if last_ident(inner).as_deref() == Some("u8") {
            return Some(T::VarBinary(None));
        }
        return rust_type_to_column(inner).map(|t| T::Array(Box::new(t)));
    }
    let ident = last_ident(ty)?;
    // `DateTime<Utc>`, `DateTime<FixedOffset>`, `DateTime<Local>` carry a time zone.
    if ident == "DateTime" && generic_arg(ty, "DateTime").is_some() {
        return Some(T::TimestampWithTimeZone);
    }
    Some(match ident.as_str() {
        "bool" => T::Boolean,
        "i8" => T::TinyInteger,
        "i16" => T::SmallInteger,
        "i32" => T::Integer,
        "i64" => T::BigInteger,
        "u8" => T::TinyUnsigned,
        "u16" => T::SmallUnsigned,
        "u32" => T::Unsigned,
        "u64" => T::BigUnsigned,
        "f32" => T::Float,
        "f64" => T::Double,
        "String" => T::String(None),
        "char" => T::Char(None),
        "Decimal" | "BigDecimal" => T::Decimal(None),
        "Date" | "NaiveDate" | "ChronoDate" | "TimeDate" => T::Date,
        "Time" | "NaiveTime" | "ChronoTime" | "TimeTime" => T::Time,
        "DateTime" | "NaiveDateTime" | "ChronoDateTime" | "PrimitiveDateTime" | "TimeDateTime" => {
            T::DateTime
        }
        "DateTimeUtc"
        | "DateTimeLocal"
        | "DateTimeWithTimeZone"
        | "ChronoDateTimeUtc"
        | "ChronoDateTimeLocal"
        | "ChronoDateTimeWithTimeZone"
        | "OffsetDateTime"
        | "TimeDateTimeWithTimeZone" => T::TimestampWithTimeZone,
        "Uuid" => T::Uuid,
        "Json" | "Value" => T::Json,
        _ => return None,
    })
}

/// Interprets a `ColumnType` expression such as `Decimal(Some((10, 2)))`,
/// `String(StringLen::N(64))`, `ColumnType::Text` or `Custom("citext")`.
/// `Err` carries a description of what was not understood.
pub fn column_type_expr(expr: &Expr) -> Result<ColumnType, String> {
    use ColumnType as T;
    let (name, args): (String, Vec<&Expr>) = match expr {
        Expr::Path(p) => (last_segment(&p.path), Vec::new()),
        Expr::Call(c) => {
            let Expr::Path(p) = &*c.func else {
                return Err("expected a ColumnType variant".into());
            };
            (last_segment(&p.path), c.args.iter().collect())
        }
        // `ColumnType::Integer.def()` or `.def().null()` chains are handled by the caller.
        _ => return Err("expected a ColumnType variant".into()),
    };
    let arg = |i: usize| args.get(i).copied();
    Ok(match name.as_str() {
        "TinyInteger" => T::TinyInteger,
        "SmallInteger" => T::SmallInteger,
        "Integer" => T::Integer,
        "BigInteger" => T::BigInteger,
        "TinyUnsigned" => T::TinyUnsigned,
        "SmallUnsigned" => T::SmallUnsigned,
        "Unsigned" => T::Unsigned,
        "BigUnsigned" => T::BigUnsigned,
        "Float" => T::Float,
        "Double" => T::Double,
        "Decimal" | "Money" => T::Decimal(match arg(0) {
            Some(e) => option_pair(e)?,
            None => None,
        }),
        "Char" => T::Char(match arg(0) {
            Some(e) => option_u32(e)?,
            None => None,
        }),
        "String" => T::String(match arg(0) {
            Some(e) => string_len(e)?,
            None => None,
        }),
        "Text" => T::Text,
        "Boolean" => T::Boolean,
        "Date" => T::Date,
        "Time" => T::Time,
        "DateTime" => T::DateTime,
        "Timestamp" => T::Timestamp,
        "TimestampWithTimeZone" => T::TimestampWithTimeZone,
        "Uuid" => T::Uuid,
        "Json" => T::Json,
        "JsonBinary" => T::JsonBinary,
        "Blob" => T::Blob,
        "Binary" => T::Binary(arg(0).map(int_lit).transpose()?.unwrap_or(1)),
        "VarBinary" => T::VarBinary(match arg(0) {
            Some(e) => string_len(e)?,
            None => None,
        }),
        "Custom" | "custom" => {
            let s = arg(0)
                .and_then(first_string_literal)
                .ok_or("Custom(...) needs a string literal type name")?;
            T::Custom(s)
        }
        "Array" => {
            let inner = arg(0).ok_or("Array(...) needs an element type")?;
            T::Array(Box::new(column_type_expr(unwrap_wrapper_call(inner))?))
        }
        other => return Err(format!("unknown ColumnType `{other}`")),
    })
}

fn last_segment(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// `RcOrArc::new(ColumnType::Integer)` / `Arc::new(x)` / `Box::new(x)` -> `x`.
fn unwrap_wrapper_call(e: &Expr) -> &Expr {
    if let Expr::Call(c) = e
        && let Expr::Path(p) = &*c.func
        && last_segment(&p.path) == "new"
        && c.args.len() == 1
    {
        return &c.args[0];
    }
    e
}

fn first_string_literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::MethodCall(m) => first_string_literal(&m.receiver),
        Expr::Call(c) => c.args.iter().find_map(first_string_literal),
        Expr::Reference(r) => first_string_literal(&r.expr),
        _ => None,
    }
}

pub fn int_lit(e: &Expr) -> Result<u32, String> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse::<u32>().map_err(|e| e.to_string()),
            _ => Err("expected an integer".into()),
        },
        Expr::Paren(p) => int_lit(&p.expr),
        _ => Err("expected an integer".into()),
    }
}

/// `None` / `Some(n)`.
fn option_u32(e: &Expr) -> Result<Option<u32>, String> {
    match e {
        Expr::Path(p) if last_segment(&p.path) == "None" => Ok(None),
        Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last_segment(&p.path) == "Some") => {
            Ok(Some(int_lit(c.args.first().ok_or("Some() is empty")?)?))
        }
        _ => Err("expected None or Some(n)".into()),
    }
}

/// `None` / `Some((p, s))`.
fn option_pair(e: &Expr) -> Result<Option<(u32, u32)>, String> {
    match e {
        Expr::Path(p) if last_segment(&p.path) == "None" => Ok(None),
        Expr::Call(c) if matches!(&*c.func, Expr::Path(p) if last_segment(&p.path) == "Some") => {
            match c.args.first() {
                Some(Expr::Tuple(t)) if t.elems.len() == 2 => {
                    Ok(Some((int_lit(&t.elems[0])?, int_lit(&t.elems[1])?)))
                }
                _ => Err("expected Some((precision, scale))".into()),
            }
        }
        _ => Err("expected None or Some((precision, scale))".into()),
    }
}

/// `StringLen::N(n)` / `StringLen::None` / `StringLen::Max` / `Some(n)` / `None` / `n`.
fn string_len(e: &Expr) -> Result<Option<u32>, String> {
    match e {
        Expr::Path(p) => match last_segment(&p.path).as_str() {
            "None" | "Max" => Ok(None),
            other => Err(format!("unknown string length `{other}`")),
        },
        Expr::Call(c) => {
            let inner = c.args.first().ok_or("empty length")?;
            Ok(Some(int_lit(inner)?))
        }
        Expr::Lit(_) => Ok(Some(int_lit(e)?)),
        _ => Err("expected StringLen::N(n) or StringLen::None".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Type {
        syn::parse_str(s).unwrap()
    }
    fn ct(s: &str) -> Result<ColumnType, String> {
        column_type_expr(&syn::parse_str(s).unwrap())
    }

    #[test]
    fn rust_types() {
        use ColumnType as T;
        assert_eq!(rust_type_to_column(&ty("i32")), Some(T::Integer));
        assert_eq!(rust_type_to_column(&ty("String")), Some(T::String(None)));
        assert_eq!(
            rust_type_to_column(&ty("DateTime<Utc>")),
            Some(T::TimestampWithTimeZone)
        );
        assert_eq!(rust_type_to_column(&ty("DateTime")), Some(T::DateTime));
        assert_eq!(
            rust_type_to_column(&ty("DateTimeWithTimeZone")),
            Some(T::TimestampWithTimeZone)
        );
        assert_eq!(
            rust_type_to_column(&ty("Vec<u8>")),
            Some(T::VarBinary(None))
        );
        assert_eq!(
            rust_type_to_column(&ty("Vec<i32>")),
            Some(T::Array(Box::new(T::Integer)))
        );
        assert_eq!(
            rust_type_to_column(&ty("rust_decimal::Decimal")),
            Some(T::Decimal(None))
        );
        assert_eq!(rust_type_to_column(&ty("MyThing")), None);
        let opt = ty("Option<i64>");
        let (inner, nullable) = unwrap_option(&opt);
        assert!(nullable);
        assert_eq!(rust_type_to_column(inner), Some(T::BigInteger));
    }

    #[test]
    fn column_type_exprs() {
        use ColumnType as T;
        assert_eq!(ct("Decimal(Some((10, 2)))"), Ok(T::Decimal(Some((10, 2)))));
        assert_eq!(ct("ColumnType::Text"), Ok(T::Text));
        assert_eq!(ct("String(StringLen::N(64))"), Ok(T::String(Some(64))));
        assert_eq!(ct("String(StringLen::None)"), Ok(T::String(None)));
        assert_eq!(ct("Char(Some(3))"), Ok(T::Char(Some(3))));
        assert_eq!(ct("Custom(\"citext\")"), Ok(T::Custom("citext".into())));
        assert_eq!(
            ct("Array(RcOrArc::new(ColumnType::Integer))"),
            Ok(T::Array(Box::new(T::Integer)))
        );
        assert!(ct("Frobnicate").unwrap_err().contains("Frobnicate"));
    }
}
