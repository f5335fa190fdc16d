use crate::finding::{Category, Finding, Severity, Source, Strictness};
use crate::offsets::Utf16Index;
use crate::profile::Profile;

/// Settings the engine cannot compile, named by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// One employer name to look for, with how to compare it.
struct EmployerTerm {
    text: String,
    /// Acronyms ("HMRC", "MoD") match only as written; names match in any case.
    exact_case: bool,
}

/// Rules compiled for one profile. Build once per settings change, then check many posts.
pub struct Engine {
    employer_terms: Vec<EmployerTerm>,
}

impl Engine {
    pub fn new(profile: &Profile) -> Result<Engine, ConfigError> {
        let mut employer_terms = Vec::new();
        let names = std::iter::once(("employer", &profile.employer))
            .chain(profile.aliases.iter().map(|alias| ("aliases", alias)));
        for (field, name) in names {
            let name = name.trim();
            if name.is_empty() {
                if field == "aliases" {
                    return Err(ConfigError { field: field.into(), reason: "an alias is empty".into() });
                }
                continue;
            }
            let exact_case = name.chars().filter(|c| c.is_uppercase()).count() >= 2
                && !name.contains(' ');
            employer_terms.push(EmployerTerm { text: name.to_string(), exact_case });
        }
        Ok(Engine { employer_terms })
    }

    /// Finds what the given strictness shows in `text`, ordered by position.
    pub fn check(&self, text: &str, strictness: Strictness) -> Vec<Finding> {
        let index = Utf16Index::new(text);
        let mut findings = Vec::new();
        for term in &self.employer_terms {
            for (byte_start, byte_end) in find_word(text, &term.text, term.exact_case) {
                findings.push(employer_finding(text, &index, byte_start, byte_end));
            }
        }
        findings.retain(|f| strictness.shows(f.severity));
        findings.sort_by_key(|f| (f.byte_start, std::cmp::Reverse(f.byte_end)));
        findings
    }
}

fn employer_finding(text: &str, index: &Utf16Index, byte_start: usize, byte_end: usize) -> Finding {
    Finding {
        rule: "employer.named".into(),
        category: Category::Disclosure,
        severity: Severity::Medium,
        start: index.utf16(byte_start),
        end: index.utf16(byte_end),
        byte_start,
        byte_end,
        text: text[byte_start..byte_end].to_string(),
        message: "This names your employer.".into(),
        explanation: "Naming your employer makes the post attributable to it: readers may take \
                      what you say as the view of your department. The Civil Service Code applies \
                      online and offline, in official and personal use."
            .into(),
        source: Source {
            title: "Social media guidance for civil servants".into(),
            section: "Personal use of social media".into(),
            url: "https://www.gov.uk/government/publications/social-media-guidance-for-civil-servants/social-media-guidance-for-civil-servants".into(),
        },
        suggestions: Vec::new(),
    }
}

/// Byte ranges where `needle` stands in `text` as whole words.
fn find_word(text: &str, needle: &str, exact_case: bool) -> Vec<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric();
    let (hay, pat) = if exact_case {
        (text.to_string(), needle.to_string())
    } else {
        // ASCII-only folding keeps byte offsets identical to the original text.
        (text.to_ascii_lowercase(), needle.to_ascii_lowercase())
    };
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(rel) = hay[from..].find(&pat) {
        let start = from + rel;
        let end = start + pat.len();
        let before_ok = !text[..start].chars().next_back().is_some_and(is_word);
        let after_ok = !text[end..].chars().next().is_some_and(is_word);
        if before_ok && after_ok {
            found.push((start, end));
        }
        from = start + pat.chars().next().map_or(1, char::len_utf8);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Vec<Finding> {
        Engine::new(&Profile::example()).unwrap().check(text, Strictness::Standard)
    }

    #[test]
    fn the_employer_alias_is_a_disclosure_with_utf16_span() {
        let found = check("👩‍💻 I work at HMRC and love it");
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!((f.category, f.text.as_str()), (Category::Disclosure, "HMRC"));
        let utf16: Vec<u16> = "👩‍💻 I work at HMRC and love it".encode_utf16().collect();
        assert_eq!(String::from_utf16(&utf16[f.start..f.end]).unwrap(), "HMRC");
    }

    #[test]
    fn acronyms_match_whole_words_in_their_own_case() {
        assert!(check("HMRCS and hmrc and xHMRC").is_empty());
    }

    #[test]
    fn off_shows_nothing() {
        let engine = Engine::new(&Profile::example()).unwrap();
        assert!(engine.check("I work at HMRC", Strictness::Off).is_empty());
    }
}
