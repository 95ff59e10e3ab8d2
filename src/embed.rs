//! Embeds for blogs and slides: the page's own URL with `?embed` shows the
//! diagram alone, fitted to its frame, read-only unless `&edit` is given. The
//! scenario stays in the `#v1.…` fragment, so an embed and the full page of
//! the same link show the same thing.
//!
//! Everything here is plain text work on the URL (tested natively); the page
//! reads `location` and applies the answer (`web::stage`, `web::persist`).

/// The query parameter that asks for the embed view.
pub const EMBED_PARAM: &str = "embed";
/// The query parameter that lets gestures edit inside an embed.
pub const EDIT_PARAM: &str = "edit";
pub use crate::tour::TOUR_PARAM;

/// The size a new snippet asks for, CSS px: a blog column's width, and room
/// for three or four lines under the embed's toolbar.
pub const SNIPPET_WIDTH: u32 = 800;
/// See [`SNIPPET_WIDTH`].
pub const SNIPPET_HEIGHT: u32 = 400;

/// How the page was asked to show itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embed {
    /// `&edit`: gestures edit the scenario inside the frame (never saved).
    pub editable: bool,
}

/// A query string's parameters (`?a=1&b` → `a=1`, `b`), as written: our own
/// parameters never need decoding, and others pass through untouched. (The
/// page's other parameters, `?tour` and `?exercise`, are read with it too.)
pub(crate) fn params(search: &str) -> impl Iterator<Item = &str> + Clone {
    search
        .strip_prefix('?')
        .unwrap_or(search)
        .split('&')
        .filter(|p| !p.is_empty())
}

/// A parameter's name (`a=1` → `a`).
pub(crate) fn name_of(param: &str) -> &str {
    param.split('=').next().unwrap_or(param)
}

/// Whether `search` (`location.search`, with or without its `?`) asks for the
/// embed view, and how.
///
/// ```
/// use hlcviz::embed::{from_query, Embed};
/// assert_eq!(from_query("?embed"), Some(Embed { editable: false }));
/// assert_eq!(from_query("?embed&edit"), Some(Embed { editable: true }));
/// assert_eq!(from_query("?edit"), None);
/// ```
pub fn from_query(search: &str) -> Option<Embed> {
    let mut names = params(search).map(name_of);
    if !names.clone().any(|n| n == EMBED_PARAM) {
        return None;
    }
    Some(Embed {
        editable: names.any(|n| n == EDIT_PARAM),
    })
}

/// `search`'s parameters but the embed's own.
fn other_params(search: &str) -> Vec<&str> {
    params(search)
        .filter(|p| ![EMBED_PARAM, EDIT_PARAM, TOUR_PARAM].contains(&name_of(p)))
        .collect()
}

/// `base`, then `?` and `params` joined by `&` (if any), then `#` and
/// `fragment` (if not empty).
pub(crate) fn join(base: &str, params: &[&str], fragment: &str) -> String {
    let query = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    let hash = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    format!("{base}{query}{hash}")
}

/// The full page showing the same scenario: `base` (origin and path),
/// `search` without the embed's parameters, and `fragment` (without `#`).
///
/// ```
/// use hlcviz::embed::full_page_url;
/// assert_eq!(
///     full_page_url("https://x.org/hlc/", "?embed&edit", "v1.abc"),
///     "https://x.org/hlc/#v1.abc"
/// );
/// ```
pub fn full_page_url(base: &str, search: &str, fragment: &str) -> String {
    join(base, &other_params(search), fragment)
}

/// The embed of the same scenario: `?embed` (and `&edit` when `editable`)
/// before any other parameters `search` has, then the fragment.
///
/// ```
/// use hlcviz::embed::embed_url;
/// assert_eq!(
///     embed_url("https://x.org/hlc/", "", "v1.abc", true),
///     "https://x.org/hlc/?embed&edit#v1.abc"
/// );
/// ```
pub fn embed_url(base: &str, search: &str, fragment: &str, editable: bool) -> String {
    let mut params = vec![EMBED_PARAM];
    if editable {
        params.push(EDIT_PARAM);
    }
    params.extend(other_params(search));
    join(base, &params, fragment)
}

/// `text` safe inside a double-quoted HTML attribute: `&`, `"`, `'`, `<`
/// and `>` as character references.
///
/// ```
/// assert_eq!(hlcviz::embed::escape_attribute(r#"a&b"<'>"#), "a&amp;b&quot;&lt;&#39;&gt;");
/// ```
pub fn escape_attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// The `<iframe>` a blog or slide deck pastes to embed `src`.
///
/// ```
/// let snippet = hlcviz::embed::iframe_snippet("https://x.org/?embed#v1.a&b");
/// assert!(snippet.starts_with(r#"<iframe src="https://x.org/?embed#v1.a&amp;b" width="800""#));
/// ```
pub fn iframe_snippet(src: &str) -> String {
    format!(
        r#"<iframe src="{}" width="{SNIPPET_WIDTH}" height="{SNIPPET_HEIGHT}" style="border:0" title="HLC diagram" loading="lazy"></iframe>"#,
        escape_attribute(src)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embed_parameter_makes_an_embed() {
        assert_eq!(from_query(""), None);
        assert_eq!(from_query("?"), None);
        assert_eq!(from_query("?embedded"), None);
        assert_eq!(from_query("?x=embed"), None);
        assert_eq!(from_query("embed"), Some(Embed { editable: false }));
        assert_eq!(from_query("?embed="), Some(Embed { editable: false }));
        assert_eq!(
            from_query("?edit&embed&tour=3"),
            Some(Embed { editable: true })
        );
    }

    #[test]
    fn the_full_page_keeps_other_parameters_and_drops_the_embeds() {
        assert_eq!(
            full_page_url("/p/", "?embed&lang=en&tour=2&edit", "v1.x"),
            "/p/?lang=en#v1.x"
        );
        assert_eq!(full_page_url("/p/", "?embed", ""), "/p/");
    }

    #[test]
    fn an_embed_url_round_trips_to_the_same_full_page() {
        let embed = embed_url("https://h/", "?lang=en", "v1.q", false);
        assert_eq!(embed, "https://h/?embed&lang=en#v1.q");
        let (rest, fragment) = embed.split_once('#').unwrap();
        let (base, search) = rest.split_once('?').unwrap();
        assert_eq!(from_query(search), Some(Embed { editable: false }));
        assert_eq!(
            full_page_url(base, search, fragment),
            "https://h/?lang=en#v1.q"
        );
    }

    #[test]
    fn the_snippet_cannot_be_broken_out_of() {
        let snippet = iframe_snippet(r#"https://h/?embed#"><script>x</script>"#);
        assert!(!snippet.contains("<script>"));
        assert_eq!(snippet.matches('"').count(), 12, "{snippet}");
        assert!(snippet.ends_with(r#"title="HLC diagram" loading="lazy"></iframe>"#));
    }
}
