//! What every email says around its message (R9.1): the recipient organisation's protective
//! marking at the top and the bottom, and, for an email to a person, where they change how they
//! are emailed (at once, or a daily or weekly digest) or leave the digest. Written twice, as
//! plain text and as simple HTML with the same words, so any mail client shows it well.

/// The frame of one email.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The recipient organisation's protective marking, e.g. `OFFICIAL-SENSITIVE`.
    pub marking: Option<String>,
    /// Where the recipient chooses how they are emailed (`…/account/notifications`), for an
    /// email to a person of the directory.
    pub settings: Option<String>,
}

/// An email's text and HTML parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

const FOOTER: &str = "You are sent this by Tandem, your organisation's mentoring programme.";

fn settings_line(url: &str) -> String {
    format!(
        "To have these emails at once or as a daily or weekly digest, or to stop the digest: {url}"
    )
}

/// Frames `body` (plain text: paragraphs split by blank lines, `- ` list items, addresses on
/// their own line) as the email's two parts.
pub fn write(body: &str, frame: &Frame) -> Letter {
    let mut text = String::new();
    if let Some(marking) = &frame.marking {
        text.push_str(&format!("{marking}\n\n"));
    }
    text.push_str(body.trim_end());
    text.push_str(&format!("\n\n--\n{FOOTER}"));
    if let Some(url) = &frame.settings {
        text.push_str(&format!("\n{}", settings_line(url)));
    }
    if let Some(marking) = &frame.marking {
        text.push_str(&format!("\n\n{marking}"));
    }
    text.push('\n');

    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Tandem</title></head>\n<body style=\"font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;\">\n",
    );
    let marking_html = frame
        .marking
        .as_ref()
        .map(|it| format!("<p style=\"font-weight: bold;\">{}</p>\n", escape(it)));
    if let Some(marking) = &marking_html {
        html.push_str(marking);
    }
    for paragraph in body.trim_end().split("\n\n") {
        html.push_str(&block(paragraph));
    }
    html.push_str(&format!(
        "<hr>\n<p style=\"font-size: 14px;\">{}",
        escape(FOOTER)
    ));
    if let Some(url) = &frame.settings {
        html.push_str(&format!(
            "<br>\nTo have these emails at once or as a daily or weekly digest, or to stop the digest: {}",
            link(url)
        ));
    }
    html.push_str("</p>\n");
    if let Some(marking) = &marking_html {
        html.push_str(marking);
    }
    html.push_str("</body>\n</html>\n");
    Letter { text, html }
}

/// One paragraph as HTML: a list when every line is a `- ` item, otherwise lines kept apart.
fn block(paragraph: &str) -> String {
    let lines: Vec<&str> = paragraph
        .lines()
        .filter(|it| !it.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    if lines.iter().all(|it| it.starts_with("- ")) {
        let items: Vec<String> = lines
            .iter()
            .map(|it| format!("<li>{}</li>", inline(&it[2..])))
            .collect();
        return format!("<ul>\n{}\n</ul>\n", items.join("\n"));
    }
    let lines: Vec<String> = lines.iter().map(|it| inline(it)).collect();
    format!("<p>{}</p>\n", lines.join("<br>\n"))
}

/// A line with its web addresses made links.
fn inline(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            let trimmed = word.trim_end_matches(['.', ',', ';', ')']);
            if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
                format!("{}{}", link(trimmed), escape(&word[trimmed.len()..]))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn link(url: &str) -> String {
    let url = escape(url);
    format!("<a href=\"{url}\">{url}</a>")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder() -> &'static str {
        "Sessions in Mentoring programme are held at least every 8 weeks, and nothing is booked. Book your next session, or log one you have held, on your relationship's page.\nhttps://tandem.example/relationships/0190a0b2"
    }

    #[test]
    fn a_reminder_is_framed_with_the_marking_and_where_to_change_the_digest() {
        let letter = write(
            reminder(),
            &Frame {
                marking: Some("OFFICIAL-SENSITIVE".to_owned()),
                settings: Some("https://tandem.example/account/notifications".to_owned()),
            },
        );
        expect_test::expect![[r#"
            OFFICIAL-SENSITIVE

            Sessions in Mentoring programme are held at least every 8 weeks, and nothing is booked. Book your next session, or log one you have held, on your relationship's page.
            https://tandem.example/relationships/0190a0b2

            --
            You are sent this by Tandem, your organisation's mentoring programme.
            To have these emails at once or as a daily or weekly digest, or to stop the digest: https://tandem.example/account/notifications

            OFFICIAL-SENSITIVE
        "#]]
        .assert_eq(&letter.text);
        expect_test::expect![[r#"
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Tandem</title></head>
            <body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c;">
            <p style="font-weight: bold;">OFFICIAL-SENSITIVE</p>
            <p>Sessions in Mentoring programme are held at least every 8 weeks, and nothing is booked. Book your next session, or log one you have held, on your relationship&#39;s page.<br>
            <a href="https://tandem.example/relationships/0190a0b2">https://tandem.example/relationships/0190a0b2</a></p>
            <hr>
            <p style="font-size: 14px;">You are sent this by Tandem, your organisation&#39;s mentoring programme.<br>
            To have these emails at once or as a daily or weekly digest, or to stop the digest: <a href="https://tandem.example/account/notifications">https://tandem.example/account/notifications</a></p>
            <p style="font-weight: bold;">OFFICIAL-SENSITIVE</p>
            </body>
            </html>
        "#]]
        .assert_eq(&letter.html);
    }

    #[test]
    fn a_digest_lists_its_notices_and_text_from_people_cannot_become_markup() {
        let letter = write(
            "Here is what happened:\n\n- A <b>session</b> booked: https://tandem.example/relationships/1\n- A & B, done.",
            &Frame::default(),
        );
        expect_test::expect![[r#"
            <p>Here is what happened:</p>
            <ul>
            <li>A &lt;b&gt;session&lt;/b&gt; booked: <a href="https://tandem.example/relationships/1">https://tandem.example/relationships/1</a></li>
            <li>A &amp; B, done.</li>
            </ul>
        "#]]
        .assert_eq(
            letter
                .html
                .split_once("color: #0b0c0c;\">\n")
                .and_then(|(_, rest)| rest.split_once("<hr>"))
                .map_or("", |(body, _)| body),
        );
        assert!(
            !letter.text.contains("OFFICIAL"),
            "no marking when none is known"
        );
        assert!(
            !letter.text.contains("digest:"),
            "no settings link for an address outside the directory"
        );
    }
}
