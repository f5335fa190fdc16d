//! End-to-end audits of small archives built here, in every supported format.

use std::io::{Cursor, Write};
use std::ops::ControlFlow;

use impartial_audit::{audit, AuditError, AuditOptions, Input, MemFiles, Platform, PostKind, Report};
use impartial_core::{Category, Engine, Profile};

const PARTISAN: &str = "Honestly the Tories are a disgrace, vote Labour!";

fn engine() -> Engine {
    Engine::new(&Profile::example()).unwrap()
}

fn options() -> AuditOptions {
    AuditOptions {
        employer_names: vec!["HM Revenue and Customs".into(), "HMRC".into()],
        context: "uk-civil-service, standard".into(),
        ..AuditOptions::default()
    }
}

fn run(input: Input) -> Result<Report, AuditError> {
    audit(input, &engine(), &options(), &mut |_| ControlFlow::Continue(()))
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tweet(id: &str, text: &str, date: &str) -> String {
    serde_json::json!({"tweet": {"id_str": id, "id": id, "full_text": text, "created_at": date, "favorite_count": "0", "entities": {"hashtags": []}}})
        .to_string()
}

fn x_archive() -> Vec<u8> {
    let part0 = format!(
        "window.YTD.tweets.part0 = [ {}, {}, {} ]",
        tweet("1001", PARTISAN, "Wed Oct 10 20:19:24 +0000 2018"),
        tweet("1002", "Lovely walk by the river today &amp; a pint", "Thu Oct 11 08:00:00 +0000 2018"),
        r#"{"tweet": {"id_str": "1003", "created_at": "Fri Oct 12 08:00:00 +0000 2018"}}"#,
    );
    let part1 = format!("window.YTD.tweets.part1 = [ {} ];", tweet("1004", "Donate to the Labour campaign today", "Mon Jan 07 09:00:00 +0000 2019"));
    let account =
        r#"window.YTD.account.part0 = [ { "account": { "email": "jo@example.org", "username": "jo_civil", "accountId": "42", "accountDisplayName": "Jo" } } ]"#;
    let profile = r#"window.YTD.profile.part0 = [ { "profile": { "description": { "bio": "Policy adviser at HMRC. Views my own.", "website": "", "location": "London" } } } ]"#;
    zip(&[
        ("data/tweets.js", part0.as_bytes()),
        ("data/tweets-part1.js", part1.as_bytes()),
        ("data/account.js", account.as_bytes()),
        ("data/profile.js", profile.as_bytes()),
        ("data/tweets_media/1001-abc.jpg", b"\xff\xd8\xff\xe0 not really a jpeg"),
        ("Your archive.html", b"<html>the archive's own viewer</html>"),
    ])
}

#[test]
fn x_archive_in_a_zip() {
    let report = run(Input::from_bytes("twitter-2024.zip", x_archive()).unwrap()).unwrap();
    assert_eq!(report.posts_read, 3);
    assert_eq!(report.posts_failed, 1);
    assert_eq!(report.failures[0].location, "1003");
    assert!(report.failures[0].reason.contains("full_text"), "{:?}", report.failures);
    assert_eq!(report.sources[0].account.as_deref(), Some("@jo_civil"));
    let worst = &report.flagged[0];
    assert_eq!(worst.post.id, "1004", "high severity (solicitation) first");
    let partisan = report.flagged.iter().find(|p| p.post.id == "1001").unwrap();
    assert_eq!(partisan.post.url.as_deref(), Some("https://x.com/jo_civil/status/1001"));
    assert_eq!(partisan.post.date.unwrap().rfc3339(), "2018-10-10T20:19:24Z");
    assert!(partisan.attributable, "the bio names HMRC");
    let bio = report.bios.iter().find(|b| b.field == "bio").unwrap();
    assert!(bio.names_employer);
    assert!(bio.findings.iter().any(|f| f.category == Category::Disclaimer));
    assert!(report.by_category[&Category::Partisan].posts >= 1);
    let months: Vec<&str> = report.by_month.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months.first(), Some(&"2018-10"));
    assert_eq!(months.last(), Some(&"2019-01"));
    assert_eq!(months.len(), 4, "gaps filled: {months:?}");
    assert_eq!(report.by_month[0].posts, 2);
    assert_eq!(report.by_month[0].flagged, 1);
}

#[test]
fn x_entities_are_decoded() {
    let js = format!("window.YTD.tweet.part0 = [{}]", tweet("7", "Fish &amp; chips &lt;3 vote Labour", "Wed Oct 10 20:19:24 +0000 2018"));
    let report = run(Input::from_bytes("tweet.js", js.into_bytes()).unwrap()).unwrap();
    assert_eq!(report.flagged[0].post.text, "Fish & chips <3 vote Labour");
    assert_eq!(report.flagged[0].post.url.as_deref(), Some("https://x.com/i/web/status/7"), "no account.js: a generic link");
}

#[test]
fn x_wrong_wrapper_names_file_and_expectation() {
    let bytes = zip(&[("data/tweets.js", br#"{"foo": 1}"#)]);
    let err = run(Input::from_bytes("archive.zip", bytes).unwrap()).unwrap_err().to_string();
    assert_eq!(err, "data/tweets.js: expected `window.YTD.tweets.part0 = [...]` (the file from the archive's data folder, unchanged), found `{\"foo\": 1}`");
}

#[test]
fn x_truncated_file_keeps_what_was_read() {
    let full = format!(
        "window.YTD.tweets.part0 = [ {}, {} ]",
        tweet("1", PARTISAN, "Wed Oct 10 20:19:24 +0000 2018"),
        tweet("2", "second", "Wed Oct 10 20:19:24 +0000 2018")
    );
    let cut = &full.as_bytes()[..full.len() - 30];
    let report = run(Input::from_bytes("tweets.js", cut).unwrap()).unwrap();
    assert_eq!(report.posts_read, 1);
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].starts_with("tweets.js: the file ends early, after 1 posts"), "{:?}", report.problems);
}

#[test]
fn corrupt_and_truncated_zips_are_named() {
    // The zip is opened when the input is made: the error names the file.
    let err = match Input::from_bytes("broken.zip", b"PK\x03\x04 this is not a zip at all") {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    };
    assert!(err.starts_with("broken.zip: not a readable zip archive"), "{err}");
    let whole = x_archive();
    let half = whole[..whole.len() / 2].to_vec();
    let err = Input::from_bytes("twitter.zip", half).err().expect("a half zip is refused").to_string();
    assert!(err.starts_with("twitter.zip: not a readable zip archive"), "{err}");
}

#[test]
fn damaged_entry_data_is_a_problem_not_a_crash() {
    let mut bytes =
        zip(&[("data/tweets.js", format!("window.YTD.tweets.part0 = [{}]", tweet("1", &"word ".repeat(400), "Wed Oct 10 20:19:24 +0000 2018")).as_bytes())]);
    // Flip bytes in the middle of the compressed data (the central directory is intact).
    for b in &mut bytes[60..90] {
        *b ^= 0x5a;
    }
    match Input::from_bytes("damaged.zip", bytes) {
        Err(e) => assert!(e.to_string().starts_with("damaged.zip"), "{e}"),
        Ok(input) => {
            let err = run(input).unwrap_err().to_string();
            assert!(err.starts_with("data/tweets.js: "), "{err}");
        }
    }
}

#[test]
fn unknown_layout_and_wrong_files() {
    let bytes = zip(&[("photos/a.jpg", b"\xff\xd8"), ("notes/readme.md", b"hello")]);
    let err = run(Input::from_bytes("stuff.zip", bytes).unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("stuff.zip: no posts found: expected an X/Twitter archive (data/tweets.js)"), "{err}");
    assert!(err.contains("found 2 files (photos/a.jpg, notes/readme.md)"), "{err}");

    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let err = run(Input::from_bytes("photo.png", png).unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("photo.png: not a text file or an archive Impartial knows (found binary data: `\\x89PNG"), "{err}");

    let err = run(Input::from_bytes("data.json", br#"[1, 2, 3]"#).unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("data.json: JSON that is not a known archive file"), "{err}");

    let err = run(Input::from_bytes("Shares.csv", b"Name,Email\nJo,jo@example.org\n").unwrap()).unwrap_err().to_string();
    assert_eq!(err, "Shares.csv: expected LinkedIn's Shares.csv with the columns Date, ShareCommentary, found the columns Name, Email");
}

#[test]
fn facebook_mojibake_is_repaired() {
    // As Facebook writes it: each UTF-8 byte escaped as a Latin-1 character.
    let posts = r#"[
      {"timestamp": 1600000000, "data": [{"post": "Caf\u00c3\u00a9 with friends \u00f0\u009f\u0098\u0080"}], "title": "Jo updated her status."},
      {"timestamp": 1600000100, "attachments": [{"data": [{"media": {"uri": "photos/1.jpg"}}]}], "data": [{"update_timestamp": 1600000100}], "title": "Jo added a new photo."},
      {"timestamp": 1600000200, "data": [{"post": "Honestly the Tories are a disgrace, vote Labour! \u00e2\u0080\u0094 Jo"}]}
    ]"#;
    let comments = r#"{"comments_v2": [{"timestamp": 1600000300, "data": [{"comment": {"timestamp": 1600000300, "comment": "Donate to the Labour campaign today", "author": "Jo"}}], "title": "Jo commented on a post."}]}"#;
    let bytes = zip(&[
        ("your_activity_across_facebook/posts/your_posts__check_ins__photos_and_videos_1.json", posts.as_bytes()),
        ("your_activity_across_facebook/comments_and_reactions/comments.json", comments.as_bytes()),
    ]);
    let report = run(Input::from_bytes("facebook-jo.zip", bytes).unwrap()).unwrap();
    assert_eq!(report.posts_read, 3);
    assert_eq!(report.posts_skipped, 1, "the photo without words");
    let partisan = report.flagged.iter().find(|p| p.post.kind == PostKind::Post).unwrap();
    assert_eq!(partisan.post.text, "Honestly the Tories are a disgrace, vote Labour! — Jo");
    assert_eq!(partisan.post.id, "your_posts__check_ins__photos_and_videos_1.json #3");
    assert_eq!(partisan.post.date.unwrap().rfc3339(), "2020-09-13T12:30:00Z");
    let comment = report.flagged.iter().find(|p| p.post.kind == PostKind::Comment).unwrap();
    assert_eq!(comment.post.platform, Platform::Facebook);
    // The clean post's text was repaired too (checked through a one-file audit).
    let one = r#"[{"timestamp": 1600000000, "data": [{"post": "Caf\u00c3\u00a9 \u00f0\u009f\u0098\u0080 vote Labour"}]}]"#;
    let report = run(Input::from_bytes("your_posts_1.json", one.as_bytes()).unwrap()).unwrap();
    assert_eq!(report.flagged[0].post.text, "Café 😀 vote Labour");
}

#[test]
fn linkedin_export() {
    let shares = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n\
2023-01-15 10:20:30,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A1,\"Great day, everyone.\nHonestly the Tories are a disgrace, vote Labour!\",,,MEMBER_NETWORK\n\
2023-02-01 09:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A2,\"Proud of the team's \"\"digital\"\" launch\",,,MEMBER_NETWORK\n\
2023-02-02 09:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A3,,https://example.org,,MEMBER_NETWORK\n";
    let comments =
        "Date,Link,Message\n2023-03-01 12:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A9,\"Donate to the Labour campaign today\"\n";
    let profile =
        "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\n\
Jo,Bloggs,,,,Policy adviser at HM Revenue and Customs,\"Tax policy.\nViews my own.\",Government Administration,,London,,,\n";
    let bytes = zip(&[
        ("Shares.csv", shares.as_bytes()),
        ("Comments.csv", comments.as_bytes()),
        ("Profile.csv", profile.as_bytes()),
        ("Connections.csv", b"Notes:\nFirst Name,Last Name\n"),
    ]);
    let report = run(Input::from_bytes("Basic_LinkedInDataExport_01-01-2024.zip", bytes).unwrap()).unwrap();
    assert_eq!(report.posts_read, 3);
    assert_eq!(report.posts_skipped, 1, "a share without commentary");
    assert_eq!(report.sources[0].account.as_deref(), Some("Jo Bloggs"));
    let partisan = report.flagged.iter().find(|p| p.post.kind == PostKind::Post).unwrap();
    assert_eq!(partisan.post.url.as_deref(), Some("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A1"));
    assert!(partisan.post.text.starts_with("Great day, everyone.\nHonestly"));
    assert!(partisan.attributable, "the headline names the employer");
    assert!(report.bios.iter().any(|b| b.field == "headline" && b.names_employer));
    assert_eq!(partisan.post.date.unwrap().rfc3339(), "2023-01-15T10:20:30Z");
}

#[test]
fn mastodon_archive() {
    let outbox = r#"{"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection", "totalItems": 3,
      "orderedItems": [
        {"id": "https://mastodon.example/users/jo/statuses/1/activity", "type": "Create", "actor": "https://mastodon.example/users/jo", "published": "2024-05-01T10:00:00Z",
         "object": {"id": "https://mastodon.example/users/jo/statuses/1", "type": "Note", "summary": null, "inReplyTo": null, "published": "2024-05-01T10:00:00Z",
                    "url": "https://mastodon.example/@jo/1", "content": "<p>Honestly the Tories are a disgrace,<br>vote Labour! <a href=\"https://mastodon.example/tags/ge\" class=\"mention hashtag\">#<span>GE</span></a></p><p>Fish &amp; chips</p>"}},
        {"id": "https://mastodon.example/users/jo/statuses/2/activity", "type": "Announce", "actor": "https://mastodon.example/users/jo", "published": "2024-05-02T10:00:00Z", "object": "https://elsewhere.example/notes/9"},
        {"id": "https://mastodon.example/users/jo/statuses/3/activity", "type": "Create", "published": "2024-06-01T10:00:00Z",
         "object": {"id": "https://mastodon.example/users/jo/statuses/3", "type": "Note", "inReplyTo": "https://elsewhere.example/notes/8", "url": "javascript:alert(1)", "content": "<p>A quiet reply</p>"}}
      ]}"#;
    let actor = r#"{"type": "Person", "preferredUsername": "jo", "name": "Jo", "summary": "<p>Tax nerd at HMRC.</p>", "url": "https://mastodon.example/@jo",
      "attachment": [{"type": "PropertyValue", "name": "Work", "value": "<a href=\"https://www.gov.uk\">HM Revenue and Customs</a>"}]}"#;
    let bytes = zip(&[("outbox.json", outbox.as_bytes()), ("actor.json", actor.as_bytes()), ("media_attachments/files/1.png", b"\x89PNG")]);
    let report = run(Input::from_bytes("archive-20240601.zip", bytes).unwrap()).unwrap();
    assert_eq!(report.posts_read, 2);
    assert_eq!(report.posts_skipped, 1, "the boost");
    assert_eq!(report.sources[0].account.as_deref(), Some("@jo@mastodon.example"));
    let p = &report.flagged[0];
    assert_eq!(p.post.text, "Honestly the Tories are a disgrace,\nvote Labour! #GE\n\nFish & chips");
    assert_eq!(p.post.url.as_deref(), Some("https://mastodon.example/@jo/1"));
    assert!(p.attributable);
    assert!(report.bios.iter().any(|b| b.field == "profile field \"Work\"" && b.names_employer));
    assert_eq!(report.flagged.len(), 1);
}

#[test]
fn mastodon_unsafe_url_falls_back_to_the_id() {
    let outbox = r#"{"type": "OrderedCollection", "orderedItems": [{"type": "Create", "object": {"id": "https://m.example/users/jo/statuses/3", "url": "javascript:alert(1)", "content": "<p>vote Labour</p>"}}]}"#;
    let report = run(Input::from_bytes("outbox.json", outbox.as_bytes()).unwrap()).unwrap();
    assert_eq!(report.flagged[0].post.url.as_deref(), Some("https://m.example/users/jo/statuses/3"));
}

#[test]
fn json_lines_with_a_bad_line() {
    let jsonl = "{\"id\": \"a\", \"text\": \"vote Labour\", \"date\": \"2024-03-01\", \"url\": \"https://forum.example/p/1\"}\nnot json\n{\"id\": 3}\n\n{\"id\": 4, \"text\": \"quiet day\"}\n";
    let report = run(Input::from_bytes("posts.jsonl", jsonl.as_bytes()).unwrap()).unwrap();
    assert_eq!(report.posts_read, 2);
    assert_eq!(report.posts_failed, 2);
    assert_eq!(report.failures[0].location, "line 2");
    assert!(report.failures[0].reason.starts_with("not JSON"));
    assert_eq!(report.failures[1].location, "3");
    assert_eq!(report.flagged[0].post.url.as_deref(), Some("https://forum.example/p/1"));
    assert_eq!(report.flagged[0].post.date.unwrap().rfc3339(), "2024-03-01T00:00:00Z");
}

#[test]
fn plain_text_paragraphs_or_lines() {
    let paragraphs = "First post\nstill the first, vote Labour\n\nSecond post\n\n\nThird post, Tories are a disgrace\n";
    let report = run(Input::from_bytes("posts.txt", paragraphs.as_bytes()).unwrap()).unwrap();
    assert_eq!(report.posts_read, 3);
    let ids: Vec<&str> = report.flagged.iter().map(|p| p.post.id.as_str()).collect();
    assert!(ids.contains(&"line 1") && ids.contains(&"line 7"), "{ids:?}");
    let lines = "vote Labour\nquiet day\nTories are a disgrace\n";
    let report = run(Input::from_bytes("posts.txt", lines.as_bytes()).unwrap()).unwrap();
    assert_eq!(report.posts_read, 3);
    assert_eq!(report.posts_flagged, 2);
}

#[test]
fn a_folder_set_of_files_works_like_a_zip() {
    let files = MemFiles::new(
        "extracted",
        vec![("twitter/data/tweets.js".into(), format!("window.YTD.tweets.part0 = [{}]", tweet("5", PARTISAN, "Wed Oct 10 20:19:24 +0000 2018")).into_bytes())],
    );
    let report = run(Input::from_files(files)).unwrap();
    assert_eq!(report.posts_flagged, 1);
}

#[test]
fn progress_is_reported_and_cancel_stops() {
    let mut calls = 0;
    let report = audit(Input::from_bytes("a.zip", x_archive()).unwrap(), &engine(), &options(), &mut |p| {
        calls += 1;
        assert!(p.bytes_done <= p.bytes_total);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(calls >= 4, "{calls}");
    assert_eq!(report.posts_read, 3);
    let err = audit(Input::from_bytes("a.zip", x_archive()).unwrap(), &engine(), &options(), &mut |_| ControlFlow::Break(())).unwrap_err();
    assert_eq!(err, AuditError::Cancelled);
}

fn hostile_report() -> Report {
    let hostile = r#"<script>alert("x")</script><img src="https://evil.example/t.gif" onerror="alert(1)"> <a href="https://evil.example">click</a> vote Labour & "quote", comma
=HYPERLINK("https://evil.example")"#;
    let lines = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "h1", "text": hostile, "url": "https://forum.example/p/1?a=1&b=\"2\""}),
        serde_json::json!({"id": "=cmd|' /C calc'!A0", "text": "-2+3 vote Labour", "url": "javascript:alert(1)"})
    );
    run(Input::from_bytes("posts.jsonl", lines.into_bytes()).unwrap()).unwrap()
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let report = hostile_report();
    let mut out = Vec::new();
    impartial_audit::render::html(&report, &mut out).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert!(html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">"#));
    let lower = html.to_lowercase();
    for banned in ["<script", "<img", "<link", "<iframe", "<object", "<embed", "url(", "@import", "javascript:"] {
        assert!(!lower.contains(banned), "{banned} in the report");
    }
    // Archive text is escaped, so every '<' opens one of the report's own tags: check them all.
    let allowed_tags = [
        "!doctype", "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "div", "b", "i", "table", "tr", "th", "td", "span", "article", "mark",
        "sup", "ol", "li", "code", "a", "svg", "line", "text", "g", "rect", "details", "summary",
    ];
    for tag in lower.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("tags close")];
        let name = tag.trim_start_matches('/').split([' ', '>']).next().unwrap();
        assert!(allowed_tags.contains(&name), "unexpected tag <{tag}>");
        for attr in [" src=", " srcset=", " onerror=", " onload=", " onmouseover=", " style=", " xmlns="] {
            assert!(!tag.contains(attr), "{attr} in <{tag}>");
        }
    }
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src="), "escaped text shown");
    // Every link is a post's link or a finding's guidance, never the post text's.
    let allowed_prefixes = ["https://forum.example/p/1", "https://www.gov.uk/", "https://www.civilservant.org.uk/", "https://"];
    for (i, _) in html.match_indices("href=\"") {
        let rest = &html[i + 6..];
        let url = &rest[..rest.find('"').unwrap()];
        assert!(!url.contains("evil.example"), "link from post text: {url}");
        assert!(allowed_prefixes.iter().any(|p| url.starts_with(p)), "{url}");
    }
    assert!(html.contains("href=\"https://forum.example/p/1?a=1&amp;b=&quot;2&quot;\""), "the post link, escaped");
    assert_eq!(html.matches("open the post</a>").count(), 1, "the javascript: url is not a link");
}

#[test]
fn csv_report_quotes_and_defuses_formulas() {
    let report = hostile_report();
    let mut out = Vec::new();
    impartial_audit::render::csv(&report, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(&out[..]);
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    let h1 = rows.iter().find(|r| &r[col("post_id")] == "h1").unwrap();
    assert!(h1[col("post_text")].starts_with("<script>"), "{:?}", &h1[col("post_text")]);
    assert!(h1[col("post_text")].contains("\"quote\", comma\n="), "quotes, commas and newlines survive a round trip");
    let second = rows.iter().find(|r| r[col("post_id")].contains("cmd")).unwrap();
    assert_eq!(&second[col("post_id")], "'=cmd|' /C calc'!A0");
    assert_eq!(&second[col("post_text")], "'-2+3 vote Labour");
    assert_eq!(&second[col("url")], "", "unsafe links are dropped");
}

#[test]
fn json_report_round_trips() {
    let report = run(Input::from_bytes("a.zip", x_archive()).unwrap()).unwrap();
    let mut out = Vec::new();
    impartial_audit::render::json(&report, &mut out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["posts_read"], 3);
    assert_eq!(v["flagged"][0]["platform"], "x");
    assert_eq!(v["flagged"][0]["max_severity"], "high");
    assert!(v["flagged"][0]["findings"].as_array().unwrap().iter().any(|f| f["severity"] == "high" && f["byte_end"].as_u64() > f["byte_start"].as_u64()));
    assert!(v["by_category"]["partisan"]["posts"].as_u64().unwrap() >= 1);
    assert_eq!(v["flagged"].as_array().unwrap().iter().find(|p| p["id"] == "1001").unwrap()["date"], "2018-10-10T20:19:24Z");
}

/// A minimal DAG-CBOR encoder, for building a Bluesky repository here.
enum V {
    I(u64),
    T(&'static str),
    B(Vec<u8>),
    A(Vec<V>),
    M(Vec<(&'static str, V)>),
    L(Vec<u8>),
    Null,
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    match n {
        0..=23 => out.push(major << 5 | n as u8),
        24..=255 => out.extend([major << 5 | 24, n as u8]),
        256..=65535 => {
            out.push(major << 5 | 25);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            out.push(major << 5 | 26);
            out.extend((n as u32).to_be_bytes());
        }
    }
}

fn cbor(v: &V, out: &mut Vec<u8>) {
    match v {
        V::I(n) => head(0, *n, out),
        V::T(t) => {
            head(3, t.len() as u64, out);
            out.extend(t.as_bytes());
        }
        V::B(b) => {
            head(2, b.len() as u64, out);
            out.extend(b);
        }
        V::A(items) => {
            head(4, items.len() as u64, out);
            items.iter().for_each(|i| cbor(i, out));
        }
        V::M(entries) => {
            head(5, entries.len() as u64, out);
            for (k, v) in entries {
                cbor(&V::T(k), out);
                cbor(v, out);
            }
        }
        V::L(cid) => {
            out.extend([0xd8, 42]);
            let mut b = vec![0];
            b.extend(cid);
            cbor(&V::B(b), out);
        }
        V::Null => out.push(0xf6),
    }
}

/// A CIDv1 (dag-cbor, sha2-256) with a made-up digest: the audit does not verify hashes.
fn cid(n: u8) -> Vec<u8> {
    let mut c = vec![0x01, 0x71, 0x12, 0x20];
    c.extend([n; 32]);
    c
}

fn varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn bluesky_repo() -> Vec<u8> {
    let entry = |p: u64, k: &str, v: u8| V::M(vec![("k", V::B(k.as_bytes().to_vec())), ("p", V::I(p)), ("t", V::Null), ("v", V::L(cid(v)))]);
    let blocks = vec![
        (
            cid(1),
            V::M(vec![
                ("did", V::T("did:plc:abc123")),
                ("rev", V::T("3kabc")),
                ("sig", V::B(vec![7; 64])),
                ("data", V::L(cid(2))),
                ("prev", V::Null),
                ("version", V::I(3)),
            ]),
        ),
        (cid(2), V::M(vec![("e", V::A(vec![entry(0, "app.bsky.actor.profile/self", 3), entry(9, "feed.post/3k2a", 4), entry(22, "b", 5)])), ("l", V::Null)])),
        (cid(3), V::M(vec![("$type", V::T("app.bsky.actor.profile")), ("displayName", V::T("Jo")), ("description", V::T("Policy adviser at HMRC"))])),
        (
            cid(4),
            V::M(vec![
                ("$type", V::T("app.bsky.feed.post")),
                ("text", V::T(PARTISAN)),
                ("createdAt", V::T("2024-05-01T10:00:00.000Z")),
                ("langs", V::A(vec![V::T("en")])),
            ]),
        ),
        (
            cid(5),
            V::M(vec![
                ("$type", V::T("app.bsky.feed.post")),
                ("text", V::T("A quiet reply")),
                ("createdAt", V::T("2024-05-02T10:00:00.000Z")),
                ("reply", V::M(vec![])),
            ]),
        ),
    ];
    let mut header = Vec::new();
    cbor(&V::M(vec![("roots", V::A(vec![V::L(cid(1))])), ("version", V::I(1))]), &mut header);
    let mut car = Vec::new();
    varint(header.len(), &mut car);
    car.extend(header);
    for (c, v) in blocks {
        let mut data = Vec::new();
        cbor(&v, &mut data);
        varint(c.len() + data.len(), &mut car);
        car.extend(c);
        car.extend(data);
    }
    car
}

#[test]
fn bluesky_repository() {
    let report = run(Input::from_bytes("repo.car", bluesky_repo()).unwrap()).unwrap();
    assert_eq!(report.posts_read, 2);
    assert_eq!(report.sources[0].platform, Platform::Bluesky);
    assert_eq!(report.sources[0].account.as_deref(), Some("did:plc:abc123"));
    let p = &report.flagged[0];
    assert_eq!(p.post.id, "3k2a");
    assert_eq!(p.post.url.as_deref(), Some("https://bsky.app/profile/did:plc:abc123/post/3k2a"));
    assert_eq!(p.post.date.unwrap().rfc3339(), "2024-05-01T10:00:00Z");
    assert!(p.attributable, "the bio names HMRC");
    assert_eq!(report.flagged.len(), 1);

    let whole = bluesky_repo();
    let err = run(Input::from_bytes("repo.car", &whole[..whole.len() - 10]).unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("repo.car: expected a Bluesky repository export (CAR v1): the file ends inside block 5"), "{err}");
    let err = run(Input::from_bytes("repo.car", b"hello").unwrap()).unwrap_err().to_string();
    assert!(err.starts_with("repo.car: expected a Bluesky repository export (CAR v1): not a CAR file"), "{err}");
}

/// An X archive of `n` tweets; every third one is partisan (medium), every seventh also
/// names the employer (a high combination).
fn many_tweets(n: usize) -> Vec<u8> {
    let tweets: Vec<String> = (0..n)
        .map(|i| {
            let text = match i {
                i if i % 7 == 0 => format!("I work at HMRC and the Tories are a disgrace, vote Labour! #{i}"),
                i if i % 3 == 0 => format!("Honestly the Tories are a disgrace #{i}"),
                i => format!("Lovely walk by the river today #{i}"),
            };
            tweet(&(10_000 + i).to_string(), &text, "Wed Oct 10 20:19:24 +0000 2018")
        })
        .collect();
    zip(&[("data/tweets.js", format!("window.YTD.tweets.part0 = [ {} ]", tweets.join(",\n")).as_bytes())])
}

#[test]
fn only_the_riskiest_flagged_posts_are_listed_and_every_one_is_counted() {
    let options = AuditOptions { max_flagged_listed: 10, ..options() };
    let all = run(Input::from_bytes("x.zip", many_tweets(300)).unwrap()).unwrap();
    let capped = audit(Input::from_bytes("x.zip", many_tweets(300)).unwrap(), &engine(), &options, &mut |_| ControlFlow::Continue(())).unwrap();

    assert_eq!(all.flagged_not_listed, 0);
    assert_eq!(capped.posts_flagged, all.posts_flagged);
    assert_eq!(capped.flagged_by_worst, all.flagged_by_worst);
    assert_eq!(capped.by_category, all.by_category);
    assert_eq!(capped.flagged.len(), 10);
    assert_eq!(capped.flagged_not_listed, all.posts_flagged - 10);
    // The ten listed are the ten the full report lists first.
    let ids = |r: &Report| r.flagged.iter().take(10).map(|p| p.post.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&capped), ids(&all));
    assert!(capped.flagged.iter().all(|p| p.max_severity == impartial_core::Severity::High));

    let mut html = Vec::new();
    impartial_audit::render::html(&capped, &mut html).unwrap();
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains(&format!("The 10 riskiest are listed. {} more posts with findings", capped.flagged_not_listed)), "{html}");
}

#[test]
fn a_file_larger_than_the_limit_is_audited_up_to_it_and_reported() {
    let archive = many_tweets(2000);
    let options = AuditOptions { max_file_bytes: 64 * 1024, ..options() };
    let report = audit(Input::from_bytes("x.zip", archive).unwrap(), &engine(), &options, &mut |_| ControlFlow::Continue(())).unwrap();
    assert!(report.posts_read > 100 && report.posts_read < 2000, "read {}", report.posts_read);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = &report.problems[0];
    assert!(problem.starts_with("data/tweets.js: larger than 64 KiB uncompressed"), "{problem}");
    assert!(problem.ends_with(&format!("the {} posts before that point were audited", report.posts_read)), "{problem}");
}

#[test]
fn a_file_exactly_at_the_limit_is_read_whole() {
    let archive = many_tweets(50);
    let size = {
        let mut z = zip::ZipArchive::new(Cursor::new(&archive)).unwrap();
        let f = z.by_name("data/tweets.js").unwrap();
        f.size()
    };
    let options = AuditOptions { max_file_bytes: size, ..options() };
    let report = audit(Input::from_bytes("x.zip", archive).unwrap(), &engine(), &options, &mut |_| ControlFlow::Continue(())).unwrap();
    assert_eq!(report.posts_read, 50);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
