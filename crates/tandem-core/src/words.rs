//! Numbers in sentences: "1 problem", "3 problems", never "3 problem(s)".

/// `count` followed by the noun's singular or plural form.
pub fn counted<N>(count: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    let noun = if count == N::from(1) { one } else { many };
    format!("{count} {noun}")
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0_usize, "problem", "problems"), "0 problems");
        assert_eq!(counted(1_u64, "problem", "problems"), "1 problem");
        assert_eq!(counted(3_usize, "scheme", "schemes"), "3 schemes");
    }
}
