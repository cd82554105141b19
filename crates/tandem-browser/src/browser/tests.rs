//! Unit tests for the helper's pure parts.

use super::xpath_literal;

#[test]
fn an_xpath_literal_quotes_text_with_whichever_quote_it_lacks() {
    assert_eq!(
        xpath_literal("Mentoring programme"),
        "'Mentoring programme'"
    );
    assert_eq!(xpath_literal("Women's network"), "\"Women's network\"");
    assert_eq!(
        xpath_literal(r#"The "Women's" network"#),
        r#"concat('The "Women', "'", 's" network')"#
    );
}
