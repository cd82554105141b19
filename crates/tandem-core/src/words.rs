//! Numbers in sentences: "1 problem", "3 problems", never "3 problem(s)"; a score against its
//! maximum, "72 out of 100".

/// `count` followed by the noun's singular or plural form.
pub fn counted<N>(count: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8>,
{
    let noun = if count == N::from(1) { one } else { many };
    format!("{count} {noun}")
}

/// A score as a share of the highest it could be, on the scale of 100 people read scores on
/// ("72 out of 100"), rounded to the nearest point.
pub fn out_of_100(score: i64, max: i64) -> String {
    let points = if max <= 0 {
        0
    } else {
        (score.clamp(0, max) * 100 + max / 2) / max
    };
    format!("{points} out of 100")
}

#[cfg(test)]
mod tests {
    use super::{counted, out_of_100};

    #[test]
    fn a_score_reads_against_its_maximum() {
        assert_eq!(out_of_100(3600, 5000), "72 out of 100");
        assert_eq!(out_of_100(5000, 5000), "100 out of 100");
        assert_eq!(out_of_100(2, 3), "67 out of 100");
        assert_eq!(out_of_100(0, 0), "0 out of 100");
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(0_usize, "problem", "problems"), "0 problems");
        assert_eq!(counted(1_u64, "problem", "problems"), "1 problem");
        assert_eq!(counted(3_usize, "scheme", "schemes"), "3 schemes");
    }
}
