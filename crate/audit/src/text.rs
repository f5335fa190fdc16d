//! Text clean-up: HTML to plain text (Mastodon), character references (X, Mastodon), and
//! Facebook's mis-encoded UTF-8.

/// Repairs Facebook's mojibake: its exports write each UTF-8 *byte* as a `\u00XX` escape,
/// so "é" arrives as "Ã©". If every character is at most U+00FF, at least one is above
/// U+007F, and the characters taken as bytes are valid UTF-8, the decoded text is
/// returned; anything else (genuine Latin-1 text such as "Ã la carte") is left alone.
pub fn repair_mojibake(s: String) -> String {
    if s.is_ascii() || s.chars().any(|c| c as u32 > 0xFF) {
        return s;
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => fixed,
        Err(_) => s,
    }
}

/// Decodes HTML character references: named (the common ones), decimal and hex.
/// Unknown or malformed references are kept as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(|c: char| c == ';' || c == '&' || c.is_whitespace()).map(|n| n + 1);
        let decoded = match end {
            Some(end) if rest.as_bytes()[end] == b';' && end <= 33 => entity(&rest[1..end]).map(|c| (c, end + 1)),
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "pound" => '£',
        "euro" => '€',
        "copy" => '©',
        _ => return None,
    })
}

/// HTML (Mastodon's post and bio markup) to text: `<br>` is a line break, paragraphs are
/// separated by a blank line, other tags are dropped (their text kept), `<script>` and
/// `<style>` contents are dropped, comments are dropped, references are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                out.push_str(&decode_entities(rest));
            }
            break;
        };
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |n| &after[n + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone '<' in text: keep it.
            if skip_until.is_none() {
                out.push_str(&decode_entities(rest));
            }
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        if let Some(until) = skip_until {
            if closing && name == until {
                skip_until = None;
            }
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "blockquote" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" => {
                let trimmed = out.trim_end_matches([' ', '\t']).len();
                out.truncate(trimmed);
                if !out.is_empty() {
                    let newlines = out.len() - out.trim_end_matches('\n').len();
                    let want = if name == "li" { 1 } else { 2 };
                    for _ in newlines..want {
                        out.push('\n');
                    }
                }
            }
            "script" | "style" if !closing => skip_until = Some(if name == "script" { "script" } else { "style" }),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_only_when_it_is_mojibake() {
        assert_eq!(repair_mojibake("Caf\u{c3}\u{a9}".into()), "Café");
        assert_eq!(repair_mojibake("\u{f0}\u{9f}\u{98}\u{80} hi".into()), "😀 hi");
        assert_eq!(repair_mojibake("plain".into()), "plain");
        // Real Latin-1 that is not valid UTF-8 stays.
        assert_eq!(repair_mojibake("Ã la carte".into()), "Ã la carte");
        // Already-correct text with characters above U+00FF stays.
        assert_eq!(repair_mojibake("Café 😀".into()), "Café 😀");
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a &amp; b &lt;3 &#x1F600; &#39;x&#39; &bogus; & done"), "a & b <3 😀 'x' &bogus; & done");
    }

    #[test]
    fn html() {
        let html = r#"<p>Vote <a href="https://x.org" class="mention">@<span>them</span></a> &amp; go!</p><p>line<br>two<br/>three</p><script>alert(1)</script><p>end &lt;b&gt;</p>"#;
        assert_eq!(html_to_text(html), "Vote @them & go!\n\nline\ntwo\nthree\n\nend <b>");
        assert_eq!(html_to_text("plain 3 < 4"), "plain 3 < 4");
        assert_eq!(html_to_text(""), "");
    }
}
