//! Putting text safely inside one HTML file: JSON in `<script>` elements,
//! vendored scripts and styles, images as data URIs, and HTML text.

/// JSON text made safe inside `<script type="application/json">`: every `<`
/// becomes `\u003c`. In JSON a `<` can only stand inside a string, where the
/// escape means the same character, so `JSON.parse` gives back the same
/// value, and no `</script>` or `<!--` can close or confuse the element.
pub fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
}

/// A script's text made safe inside `<script>`: `</script` (any case) and
/// `<!--` get a backslash after the `<` (`<\/script`, `<\!--`). Both can
/// only stand inside strings, regular expressions or comments, where the
/// backslash leaves the meaning unchanged.
pub fn inline_script(js: &str) -> String {
    escape_closers(js, "script")
}

/// A style sheet's text made safe inside `<style>` (`</style` escaped the
/// same way; in CSS `\/` is `/`).
pub fn inline_style(css: &str) -> String {
    escape_closers(css, "style")
}

fn escape_closers(text: &str, tag: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, _) in text.match_indices('<') {
        let rest = &bytes[i + 1..];
        let closer = rest.first() == Some(&b'/')
            && rest.len() > tag.len()
            && rest[1..=tag.len()].eq_ignore_ascii_case(tag.as_bytes());
        if closer || rest.starts_with(b"!--") {
            out.push_str(&text[last..=i]);
            out.push('\\');
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// A style sheet without its `/* ... */` comments (Leaflet's hold notes and
/// links that the page does not need). Comment markers inside quoted
/// strings are kept.
pub fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// Text for HTML element content or a quoted attribute value.
pub fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `data:` URI of a PNG image.
pub fn png_data_uri(bytes: &[u8]) -> String {
    format!("data:image/png;base64,{}", base64(bytes))
}

/// Standard base64 with padding (RFC 4648).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Fill `{{NAME}}` placeholders of a template in one pass: text put in is
/// never searched again, so data holding `{{...}}` stays as it is. Unknown
/// placeholders are left as they are.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let extra: usize = values.iter().map(|(_, v)| v.len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let value = after.find("}}").and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v, end + 2))
        });
        match value {
            Some((v, skip)) => {
                out.push_str(v);
                rest = &after[skip..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_element_and_parses_back() {
        let v =
            serde_json::json!({"evidence": "a </script><script>alert(1)</script> <!-- b", "n": 1});
        let s = script_json(&v.to_string());
        assert!(!s.contains('<'));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn inline_script_escapes_closers_in_any_case() {
        let js = r#"var a = "</script>", b = "</SCRIPT >", c = "<!--", d = "<b></b>";"#;
        let out = inline_script(js);
        assert!(!out.to_ascii_lowercase().contains("</script"));
        assert!(!out.contains("<!--"));
        assert!(out.contains(r#""<\/script>""#) && out.contains(r#""<\/SCRIPT >""#));
        assert!(out.contains("<b></b>"), "other tags are left alone: {out}");
        assert_eq!(inline_script("x < y && a <"), "x < y && a <");
        assert!(!inline_style("a{} </style>").contains("</style"));
    }

    #[test]
    fn css_comments_go_strings_stay() {
        let css = "a{color:red}/* see https://x.example */b{content:\"/* kept */\"}/**/c{}/* open";
        assert_eq!(
            strip_css_comments(css),
            "a{color:red}b{content:\"/* kept */\"}c{}"
        );
        assert_eq!(
            strip_css_comments("d{content:'\\'/*'}"),
            "d{content:'\\'/*'}"
        );
    }

    #[test]
    fn html_text_escapes_markup_and_quotes() {
        assert_eq!(
            html_text(r#"<img src=x onerror="a('b')"> & Xankəndi"#),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; Xankəndi"
        );
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }

    #[test]
    fn fill_is_one_pass() {
        let t = "<title>{{TITLE}}</title>{{DATA}}{{UNKNOWN}}{{";
        let out = fill(t, &[("TITLE", "{{DATA}}"), ("DATA", "[1]")]);
        assert_eq!(out, "<title>{{DATA}}</title>[1]{{UNKNOWN}}{{");
    }
}
