//! Reading a submitted form as name/value pairs, for forms with checkbox groups (which repeat
//! their name and so do not fit a struct).

/// A submitted form: every name/value pair, in order (checkbox groups repeat their name).
pub(crate) type Pairs = Vec<(String, String)>;

/// The first value given for `name`, or "" when there is none.
pub(crate) fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Every value given for `name`, in order.
pub(crate) fn values<'a>(pairs: &'a Pairs, name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// A checkbox with value `true` was ticked.
pub(crate) fn checked(pairs: &Pairs, name: &str) -> bool {
    value(pairs, name) == "true"
}
