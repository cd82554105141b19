//! The keyboard check: Tab from the top of the page reaches the skip link first, then every
//! link, button and field, each with a visible focus style and on screen when focused.

use crate::error::{Error, Result};
use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde::Deserialize;

/// What a person can reach with Tab: the elements the browser puts in the tab order, less the
/// hidden and disabled ones and all but one button of each radio group. Defines
/// `window.__tandemFocusable` for the scripts below.
const DEFINE_FOCUSABLE: &str = r#"
window.__tandemFocusable = () => Array.from(document.querySelectorAll(
  'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable="true"]'
)).filter((it) => it.tabIndex >= 0 && !it.disabled && it.getClientRects().length > 0
  && getComputedStyle(it).visibility !== 'hidden' && window.__tandemTabStop(it)
  // Inside a closed <details> an element keeps its boxes but is not rendered or focusable.
  && (!it.checkVisibility || it.checkVisibility()));
// A group of radio buttons is one Tab stop (its checked button, or its first): the arrow keys
// move within it, as the platform has it.
window.__tandemTabStop = (it) => {
  if (it.tagName !== 'INPUT' || it.type !== 'radio' || !it.name) { return true; }
  const group = Array.from((it.form || document).querySelectorAll('input[type="radio"]'))
    .filter((other) => other.name === it.name);
  return (group.find((other) => other.checked) || group[0]) === it;
};
window.__tandemStyle = (it) => {
  const style = getComputedStyle(it);
  return ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color',
    'color', 'text-decoration-line', 'border-color', 'border-width']
    .map((name) => `${name}: ${style.getPropertyValue(name)}`).join('; ');
};
window.__tandemDescribe = (it) => {
  const text = (it.innerText || it.value || it.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  const href = it.getAttribute('href');
  return `<${it.tagName.toLowerCase()}${href ? ` href="${href}"` : ''}> ${JSON.stringify(text.slice(0, 60))}`;
};
return window.__tandemFocusable().length;
"#;

/// Where focus is now: its index among the focusable elements, and how it looks.
const FOCUSED: &str = r"
const it = document.activeElement;
if (!it || it === document.body || it === document.documentElement) { return null; }
const rect = it.getBoundingClientRect();
return {
  index: window.__tandemFocusable().indexOf(it),
  description: window.__tandemDescribe(it),
  style: window.__tandemStyle(it),
  on_screen: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0
    && rect.left < window.innerWidth && rect.top < window.innerHeight,
  skip_link: it.tagName === 'A' && (it.getAttribute('href') || '').startsWith('#')
    && /^skip/i.test(it.innerText.trim())
    && document.getElementById(it.getAttribute('href').slice(1)) !== null,
};
";

/// How each focusable element looks with focus elsewhere.
const UNFOCUSED: &str = r"
if (document.activeElement) { document.activeElement.blur(); }
return window.__tandemFocusable().map((it) => ({ description: window.__tandemDescribe(it), style: window.__tandemStyle(it) }));
";

#[derive(Debug, Deserialize)]
struct Focused {
    index: i64,
    description: String,
    style: String,
    on_screen: bool,
    skip_link: bool,
}

#[derive(Debug, Deserialize)]
struct Unfocused {
    description: String,
    style: String,
}

/// What Tab reached on one page.
#[derive(Debug, Clone)]
pub struct KeyboardReport {
    /// Each element focused by Tab, in order, described as `<a href="…"> "text"`.
    pub tab_order: Vec<String>,
}

async fn press(client: &Client, key: Key) -> Result<()> {
    let keyboard = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: key.into() })
        .then(KeyAction::Up { value: key.into() });
    client
        .perform_actions(keyboard)
        .await
        .map_err(Error::webdriver("cannot press a key"))
}

/// Tabs through the page from the top and checks what a keyboard user needs; the page must
/// have just been loaded (focus at the top of the document).
pub(crate) async fn check(client: &Client, page: &str) -> Result<KeyboardReport> {
    let n_focusable = client
        .execute(DEFINE_FOCUSABLE, vec![])
        .await
        .map_err(Error::webdriver("cannot list the focusable elements"))?
        .as_u64()
        .unwrap_or(0);
    let n_focusable = usize::try_from(n_focusable).unwrap_or(usize::MAX);

    let mut problems = Vec::new();
    let mut reached: Vec<Focused> = Vec::new();
    // One Tab per element, and a few more to see focus leave the page or wrap around. A date
    // or time field takes a Tab per part (day, month, year; hours, minutes, AM/PM) while
    // focus stays on the one <input>, so a repeat of the element just reached is one of its
    // parts, not the tab order wrapping round; every field gets room for its parts.
    let mut repeats = 0;
    for step in 0..(n_focusable + 3) * 4 {
        press(client, Key::Tab).await?;
        let focused = client
            .execute(FOCUSED, vec![])
            .await
            .map_err(Error::webdriver("cannot read the focused element"))?;
        if focused.is_null() {
            if step == 0 {
                problems.push("the first Tab focused nothing".to_owned());
            }
            break;
        }
        let focused: Focused = serde_json::from_value(focused)
            .map_err(|err| Error::Check(format!("cannot read the focused element: {err}")))?;
        if reached.last().is_some_and(|it| it.index == focused.index) && repeats < 3 {
            repeats += 1;
            continue;
        }
        if reached.iter().any(|it| it.index == focused.index) {
            break;
        }
        repeats = 0;
        reached.push(focused);
    }

    match reached.first() {
        Some(first) if first.skip_link => {}
        Some(first) => problems.push(format!(
            "the first Tab reaches {}, not a skip link to the main content",
            first.description
        )),
        None => {}
    }
    let unfocused: Vec<Unfocused> = serde_json::from_value(
        client
            .execute(UNFOCUSED, vec![])
            .await
            .map_err(Error::webdriver("cannot read the unfocused styles"))?,
    )
    .map_err(|err| Error::Check(format!("cannot read the unfocused styles: {err}")))?;
    for (idx, element) in unfocused.iter().enumerate() {
        let Some(focused) = reached
            .iter()
            .find(|it| usize::try_from(it.index) == Ok(idx))
        else {
            problems.push(format!("Tab never reaches {}", element.description));
            continue;
        };
        if focused.style == element.style {
            problems.push(format!(
                "{} looks the same focused as unfocused ({})",
                element.description, element.style
            ));
        }
        if !focused.on_screen {
            problems.push(format!(
                "{} is off screen when focused",
                element.description
            ));
        }
    }
    for focused in reached.iter().filter(|it| it.index < 0) {
        problems.push(format!(
            "Tab reaches {}, which the check does not count as focusable; extend the check's selector",
            focused.description
        ));
    }

    if problems.is_empty() {
        Ok(KeyboardReport {
            tab_order: reached.into_iter().map(|it| it.description).collect(),
        })
    } else {
        Err(Error::Check(format!(
            "keyboard check failed on {page}:\n  - {}",
            problems.join("\n  - ")
        )))
    }
}

/// Tabs once from the top and follows the skip link with Enter: focus must land on its target.
pub(crate) async fn follow_skip_link(client: &Client, page: &str) -> Result<()> {
    press(client, Key::Tab).await?;
    press(client, Key::Enter).await?;
    let landed = client
        .execute(
            r"
const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
const it = document.activeElement;
return target !== null && it === target ? null
  : `focus is on <${it ? it.tagName.toLowerCase() : 'nothing'}${it && it.id ? ` id=${it.id}` : ''}> with the address ending '${location.hash}'`;
",
            vec![],
        )
        .await
        .map_err(Error::webdriver("cannot read the focused element"))?;
    match landed.as_str() {
        None => Ok(()),
        Some(problem) => Err(Error::Check(format!(
            "on {page}, Tab then Enter does not move focus to the skip link's target: {problem}"
        ))),
    }
}
