//! What the issue says the engine must and must not detect, through the public API.

use std::time::{Duration, Instant};

use impartial_core::{Category, CustomTerm, Date, Engine, Finding, Policy, Profile, Severity, Strictness};

fn hmrc() -> Profile {
    Profile { employer: "HM Revenue and Customs".into(), aliases: vec!["HMRC".into()], ..Profile::default() }
}

fn check_with(profile: &Profile, text: &str, strictness: Strictness) -> Vec<Finding> {
    Engine::new(profile).unwrap().check(text, strictness)
}

fn categories(found: &[Finding]) -> Vec<Category> {
    found.iter().map(|f| f.category).collect()
}

fn utf16_slice(text: &str, f: &Finding) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[f.start..f.end]).unwrap()
}

const MUST_SHOW: &str = "I work at HMRC and honestly the Tories are a disgrace, vote Labour! Views my own.";

#[test]
fn the_must_show_example() {
    let found = check_with(&hmrc(), MUST_SHOW, Strictness::Standard);
    let summary: Vec<(&str, Category, Severity, &str)> = found.iter().map(|f| (&*f.rule, f.category, f.severity, f.text.as_str())).collect();
    assert_eq!(
        summary,
        vec![
            ("common.disclosure.employer", Category::Disclosure, Severity::Medium, "I work at HMRC"),
            ("uk.combination.attributable-politics", Category::Partisan, Severity::High, "I work at HMRC"),
            // Both halves of the combination are marked (a Relaxed site shows only these two).
            ("uk.combination.attributable-politics", Category::Partisan, Severity::High, "Tories are a disgrace"),
            ("uk.partisan.party-attack", Category::Partisan, Severity::Medium, "Tories are a disgrace"),
            ("uk.partisan.vote-for", Category::Partisan, Severity::Medium, "vote Labour"),
            ("common.disclaimer.views-my-own", Category::Disclaimer, Severity::Medium, "Views my own"),
        ]
    );
    for f in &found {
        assert_eq!(&MUST_SHOW[f.byte_start..f.byte_end], f.text);
        assert_eq!(utf16_slice(MUST_SHOW, f), f.text);
        assert!(!f.explanation.is_empty() && f.source.url.starts_with("http"), "{f:?}");
    }
    let combo = &found[1];
    assert!(combo.explanation.contains("disclaimer"), "{}", combo.explanation);
    // On a relaxed site only the combination shows, on both halves: the job and the politics.
    let relaxed = check_with(&hmrc(), MUST_SHOW, Strictness::Relaxed);
    let shown: Vec<(&str, &str)> = relaxed.iter().map(|f| (&*f.rule, f.text.as_str())).collect();
    assert_eq!(shown, [("uk.combination.attributable-politics", "I work at HMRC"), ("uk.combination.attributable-politics", "Tories are a disgrace")]);
}

#[test]
fn spans_are_utf16_after_emoji() {
    let text = "🇬🇧👩‍💻 Ugh. I work at HMRC — vote Labour! 🌹";
    let found = check_with(&hmrc(), text, Strictness::Strict);
    assert!(found.len() >= 3, "{found:#?}");
    for f in &found {
        assert_eq!(utf16_slice(text, f), f.text);
    }
}

const AMBIGUOUS: [&str; 14] = [
    "Labour pains are the worst, 14 hours of it",
    "A conservative estimate puts it at 300",
    "Green tea every morning",
    "Had a great birthday party last night",
    "Pension reform is long overdue",
    "Use a liberal amount of butter",
    "Booked my annual leave for August",
    "I must #resist the temptation to eat another donut",
    "That was my trump card",
    "Tory Lanez dropped a new album",
    "See you in May!",
    "Working from my home office today",
    "Charity fundraising for the hospice this weekend",
    "It's official! We're engaged",
];

#[test]
fn ambiguous_words_in_their_ordinary_sense_report_nothing() {
    let profiles = [
        hmrc(),
        Profile { policy: Policy::UsHatchAct, employer: "Internal Revenue Service".into(), aliases: vec!["IRS".into()], ..Profile::default() },
        Profile { policy: Policy::Journalist, employer: "BBC".into(), ..Profile::default() },
        Profile { policy: Policy::Generic, employer: "Home Office".into(), ..Profile::default() },
    ];
    for profile in &profiles {
        let engine = Engine::new(profile).unwrap();
        for text in AMBIGUOUS {
            let found = engine.check(text, Strictness::Strict);
            assert!(found.is_empty(), "{:?} on {text:?}: {found:#?}", profile.policy);
        }
    }
}

#[test]
fn disclosure_positive_and_negative() {
    for text in
        ["I work at HMRC", "my team at DWP is great", "As a civil servant, I think", "Speaking as a civil servant", "#CivilService life", "As a G7 I see"]
    {
        assert!(categories(&check_with(&hmrc(), text, Strictness::Standard)).contains(&Category::Disclosure), "{text}");
    }
    let us = Profile { policy: Policy::UsHatchAct, ..Profile::default() };
    assert!(categories(&check_with(&us, "Speaking as a federal employee: taxes", Strictness::Standard)).contains(&Category::Disclosure));
    for text in ["On hold to HMRC again", "HMRC's new app is slow", "The civil service exam is hard"] {
        assert!(check_with(&hmrc(), text, Strictness::Strict).is_empty(), "{text}");
    }
}

#[test]
fn role_from_the_profile_counts_as_disclosure() {
    let profile = Profile { role: Some("Grade 7".into()), ..hmrc() };
    let found = check_with(&profile, "As a grade 7 I think", Strictness::Standard);
    assert_eq!(&*found[0].rule, "common.disclosure.role");
}

#[test]
fn disclaimer_explains_it_does_not_protect() {
    for text in ["views my own", "Opinions are mine.", "RTs ≠ endorsements", "RTs aren't endorsements", "not speaking for my employer"] {
        let found = check_with(&hmrc(), text, Strictness::Standard);
        assert_eq!(categories(&found), [Category::Disclaimer], "{text}");
        assert!(found[0].explanation.contains("do not protect"));
        assert_eq!(&*found[0].suggestions[0].replacement, "");
    }
}

#[test]
fn partisan_in_plain_camelcase_and_obfuscated_forms() {
    for text in [
        "#VoteLabour",
        "#ToriesOut",
        "T0ries are corrupt",
        "vote Labour",
        "#votelabour",
        "Get the Tories out",
        "Looking forward to kicking Pickles & Shapps out",
    ] {
        assert!(categories(&check_with(&hmrc(), text, Strictness::Standard)).contains(&Category::Partisan), "{text}");
    }
    let us = Profile { policy: Policy::UsHatchAct, ..Profile::default() };
    for text in ["#MAGA", "#ResistTrump", "Vote Republican"] {
        assert!(categories(&check_with(&us, text, Strictness::Standard)).contains(&Category::Partisan), "{text}");
    }
    assert!(check_with(&us, "#ResistHate", Strictness::Strict).is_empty());
    assert!(check_with(&us, "Make School Lunches Great Again", Strictness::Strict).is_empty());
}

#[test]
fn solicitation_of_money_and_donation_links() {
    let us = Profile { policy: Policy::UsHatchAct, ..Profile::default() };
    for text in ["Chip in $5 to the Democrats", "https://secure.actblue.com/donate/friends", "Give at winred.com/x"] {
        let found = check_with(&us, text, Strictness::Relaxed);
        assert_eq!(categories(&found), [Category::Solicitation], "{text}");
    }
    assert!(check_with(&us, "Donate to my charity run for the hospice", Strictness::Strict).is_empty());
    assert!(categories(&check_with(&hmrc(), "Donate to Labour today: labour.org.uk/donate", Strictness::Standard)).contains(&Category::Solicitation));
}

#[test]
fn government_criticism_needs_a_target_and_negativity() {
    assert!(categories(&check_with(&hmrc(), "The government is a disgrace", Strictness::Standard)).contains(&Category::Government));
    assert!(categories(&check_with(&hmrc(), "Starmer is incompetent", Strictness::Standard)).contains(&Category::Government));
    assert!(check_with(&hmrc(), "The government published a consultation", Strictness::Strict).is_empty());
}

#[test]
fn office_holders_are_dated() {
    let text = "Sunak is useless";
    let in_office = Engine::new_as_of(&hmrc(), Date::parse("2023-06-01").unwrap()).unwrap();
    assert!(categories(&in_office.check(text, Strictness::Standard)).contains(&Category::Government));
    let later = Engine::new_as_of(&hmrc(), Date::parse("2026-06-01").unwrap()).unwrap();
    assert!(!categories(&later.check(text, Strictness::Standard)).contains(&Category::Government));
}

#[test]
fn confidential_markings_and_embargoes() {
    for text in ["OFFICIAL-SENSITIVE: draft figures", "Embargoed until 00:01", "not announced yet but big news", "the leaked memo says"] {
        assert!(categories(&check_with(&hmrc(), text, Strictness::Standard)).contains(&Category::Confidential), "{text}");
    }
    for text in ["It's official!", "The trade embargo", "our football draft", "a leaking roof"] {
        assert!(check_with(&hmrc(), text, Strictness::Strict).is_empty(), "{text}");
    }
}

#[test]
fn conduct_insults_and_colleagues() {
    assert!(categories(&check_with(&hmrc(), "What an idiot", Strictness::Standard)).contains(&Category::Conduct));
    assert!(categories(&check_with(&hmrc(), "My manager is useless", Strictness::Standard)).contains(&Category::Conduct));
    assert!(check_with(&hmrc(), "My manager is lovely", Strictness::Strict).is_empty());
}

#[test]
fn custom_terms_allowed_phrases_and_disabled_rules() {
    let mut profile = hmrc();
    profile.custom_terms =
        vec![CustomTerm::new("Project Falcon", Category::Confidential), CustomTerm { regex: true, ..CustomTerm::new(r"FAL-\d{4}", Category::Confidential) }];
    let found = check_with(&profile, "Excited about #ProjectFalcon and ticket FAL-1234", Strictness::Standard);
    assert_eq!(found.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(), ["#ProjectFalcon", "FAL-1234"]);
    assert_eq!(&*found[0].rule, "custom.confidential");

    profile.allowed_phrases = vec!["vote Labour".into()];
    assert!(!check_with(&profile, "vote Labour", Strictness::Strict).iter().any(|f| f.category == Category::Partisan));

    profile.disabled_rules = vec!["common.disclaimer.views-my-own".into()];
    assert!(check_with(&profile, "Views my own", Strictness::Strict).is_empty());
}

/// A post naming many custom terms gets at most 200 custom findings per category in all,
/// not 200 per term: 1,000 terms in one paste stay a bounded answer.
#[test]
fn custom_findings_are_capped_per_category_not_per_term() {
    let mut profile = hmrc();
    profile.custom_terms = (0..300).map(|i| CustomTerm::new(format!("codename{i}"), Category::Confidential)).collect();
    profile.custom_terms.push(CustomTerm { regex: true, ..CustomTerm::new(r"FAL-\d{4}", Category::Confidential) });
    profile.custom_terms.push(CustomTerm::new("Bob", Category::Conduct));
    let post: String = (0..300).map(|i| format!("codename{i} FAL-{i:04} Bob ")).collect();
    let found = check_with(&profile, &post, Strictness::Strict);
    let count = |rule: &str| found.iter().filter(|f| &*f.rule == rule).count();
    assert_eq!(count("custom.confidential"), 200);
    assert_eq!(count("custom.conduct"), 200);
    // Word terms come first; the regex gets what room is left.
    assert!(found.iter().filter(|f| &*f.rule == "custom.confidential").all(|f| f.text.starts_with("codename")));
}

#[test]
fn bad_profiles_name_the_field() {
    let mut profile = hmrc();
    profile.custom_terms = vec![CustomTerm::new("fine", Category::Conduct); 3];
    profile.custom_terms.push(CustomTerm { regex: true, ..CustomTerm::new("([unclosed", Category::Conduct) });
    assert_eq!(Engine::new(&profile).err().unwrap().field, "custom_terms[3].pattern");
    profile.custom_terms = vec![CustomTerm::new("  ", Category::Conduct)];
    assert_eq!(Engine::new(&profile).err().unwrap().field, "custom_terms[0].pattern");
    profile.custom_terms = vec![CustomTerm::new("!!!", Category::Conduct)];
    assert_eq!(Engine::new(&profile).err().unwrap().field, "custom_terms[0].pattern");
    let profile = Profile { disabled_rules: vec!["no.such.rule".into()], ..hmrc() };
    assert_eq!(Engine::new(&profile).err().unwrap().field, "disabled_rules[0]");
    let profile = Profile { aliases: vec!["".into()], ..hmrc() };
    assert_eq!(Engine::new(&profile).err().unwrap().field, "aliases[0]");
}

#[test]
fn a_megabyte_post_is_checked_in_bounded_time() {
    let chunk = "I work at HMRC and the Tories are a disgrace, vote Labour! #ToriesOut 🌹 ";
    let text: String = chunk.repeat(1_000_000 / chunk.len() + 1);
    let engine = Engine::new(&hmrc()).unwrap();
    let started = Instant::now();
    let found = engine.check(&text, Strictness::Strict);
    assert!(started.elapsed() < Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 2 }));
    assert!(!found.is_empty() && found.len() < 5_000);
}

#[test]
fn adversarial_megabytes_stay_fast() {
    // Every hit is evaluated and suppressed (charity in the same endless sentence), and an
    // allowed phrase overlaps everything: both must stay O(h log h).
    let profile = Profile { allowed_phrases: vec!["Labour".into()], ..hmrc() };
    let engine = Engine::new(&profile).unwrap();
    for chunk in ["donate Labour charity ", "vote Labour ", "Tories disgrace Tories disgrace ", "#resist #resist "] {
        let text = chunk.repeat(1_000_000 / chunk.len());
        let started = Instant::now();
        let _ = engine.check(&text, Strictness::Strict);
        let limit = Duration::from_secs(if cfg!(debug_assertions) { 30 } else { 2 });
        assert!(started.elapsed() < limit, "{chunk:?} took {:?}", started.elapsed());
    }
}

#[test]
fn odd_input_never_panics() {
    let engine = Engine::new(&hmrc()).unwrap();
    let samples = [
        "",
        " ",
        "#",
        "@",
        "##",
        "#_#",
        "@@x",
        "http://",
        "https://x",
        "www.",
        "’s",
        "'",
        "H.",
        "...",
        "\u{0}\u{1}",
        "a\u{301}",
        "🇬🇧",
        "\u{feff}vote Labour",
        "vote\u{200b}Labour",
        "VOTE LABOUR!!!",
        "İstanbul Tories are a disgrace",
    ];
    for s in samples {
        let _ = engine.check(s, Strictness::Strict);
    }
    // Every prefix of a mixed-script text (char boundaries only).
    let text = "I work at HMRC 👩‍💻 — T0ries out! #VoteLabour https://labour.org.uk/donate Views my own. ǅ ß ﬁ";
    for (at, _) in text.char_indices() {
        let _ = engine.check(&text[..at], Strictness::Strict);
        let _ = engine.check(&text[at..], Strictness::Strict);
    }
}

/// Findings are drawn inside the web page: nothing of the profile that the post does not
/// itself contain may appear in them (the employer's full name, aliases not typed, terms).
#[test]
fn findings_never_carry_profile_text_the_post_does_not_contain() {
    let profile = Profile {
        policy: Policy::UkCivilService,
        employer: "HM Revenue and Customs".into(),
        aliases: vec!["HMRC".into(), "Revenue Office Zeta".into()],
        ..Profile::default()
    };
    let engine = Engine::new(&profile).unwrap();
    let post = "I work at HMRC and honestly the Tories are a disgrace, vote Labour! Views my own.";
    let findings = engine.check(post, Strictness::Strict);
    assert!(!findings.is_empty());
    for finding in &findings {
        let shown = serde_json::to_string(finding).unwrap();
        for secret in ["HM Revenue and Customs", "Revenue Office Zeta"] {
            assert!(!shown.contains(secret), "{} leaks {secret:?}: {shown}", finding.rule);
        }
    }
}

#[test]
fn overlapping_findings_of_one_category_are_reported_once() {
    // "Tories are a disgrace" is both a party attack and a party stance: one underline.
    let found = check_with(&hmrc(), "Honestly the Tories are a disgrace", Strictness::Strict);
    let partisan: Vec<&str> = found.iter().filter(|f| f.category == Category::Partisan).map(|f| &*f.rule).collect();
    assert_eq!(partisan, ["uk.partisan.party-attack"], "{found:#?}");
    // Findings of different categories on the same words all stay.
    let found = check_with(&hmrc(), "Please vote Labour on Thursday", Strictness::Strict);
    assert!(categories(&found).contains(&Category::Partisan) && categories(&found).contains(&Category::Solicitation), "{found:#?}");
}

#[test]
fn disguises_and_defanged_links_are_seen_through() {
    let us = Profile { policy: Policy::UsHatchAct, ..Profile::default() };
    let found = check_with(&us, "chip in! secure[.]actblue[.]com/donate/flip-the-house", Strictness::Strict);
    assert!(categories(&found).contains(&Category::Solicitation), "{found:#?}");
    assert!(categories(&check_with(&hmrc(), "Тories out", Strictness::Standard)).contains(&Category::Partisan));
    assert!(categories(&check_with(&hmrc(), "St@rmer's government is a joke", Strictness::Standard)).contains(&Category::Government));
}

#[test]
fn the_employer_counts_under_its_other_forms() {
    let usps = Profile { policy: Policy::UsHatchAct, employer: "US Postal Service".into(), aliases: vec!["USPS".into()], ..Profile::default() };
    assert!(categories(&check_with(&usps, "I love working for the Postal Service", Strictness::Standard)).contains(&Category::Disclosure));
    let bbc = Profile { policy: Policy::Journalist, employer: "BBC".into(), aliases: vec!["BBC News".into()], ..Profile::default() };
    assert!(categories(&check_with(&bbc, "Producer @BBCNews. Dogs and radio.", Strictness::Standard)).contains(&Category::Disclosure));
    // A customer's or a relative's mention is not the author's job.
    assert!(check_with(&usps, "My wife is a USPS carrier and her feet are wrecked", Strictness::Strict).is_empty());
    assert!(check_with(&usps, "USPS worker dropped my parcel in a puddle", Strictness::Strict).is_empty());
}

/// Aliases are capped (compiling expands every employer phrase per alias): a clear error.
#[test]
fn too_many_aliases_are_refused_by_name() {
    let mut profile = Profile::example();
    profile.aliases = (0..51).map(|i| format!("Agency {i}")).collect();
    let err = impartial_core::Engine::new(&profile).err().expect("refused");
    assert!(err.to_string().contains("aliases") && err.to_string().contains("at most 50"), "{err}");
}
