//! The audit benchmark's archive: an X/Twitter archive zip of N short, realistic posts
//! (default 50,000), laid out and formatted as X writes it (pretty-printed
//! `data/tweets.js` with the usual fields, `data/account.js`, `data/profile.js`).
//! About 1 in 20 posts is partisan, 1 in 50 discloses the employer.
//!
//!     cargo run --release -p impartial-audit --example bench_archive -- OUT.zip [N] [--media-mb MB] [--audit] [--existing]
//!
//! `--media-mb` adds that many MB of incompressible media files, as real archives have.
//! With `--audit` it then audits the zip in-process and prints the time and the peak
//! resident memory (VmHWM); `--existing` audits OUT.zip as it is. `./build.sh bench`
//! times the `impartial audit` CLI on it.

use std::io::Write;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const EVERYDAY: [&str; 16] = [
    "Lovely walk along the river this morning, the herons were out in force",
    "Anyone got a good recipe for lentil soup? Asking for a cold Tuesday",
    "Train delayed again, third time this week. Podcast recommendations welcome",
    "Finished the book club pick at last. That ending!",
    "Parkrun PB this morning, 24:31. Legs are jelly",
    "The cat has claimed my desk chair. I live here now apparently",
    "Great turnout at the school fete, thanks to everyone who baked",
    "Rain, rain and more rain. The garden is loving it at least",
    "Just discovered the new bakery on the high street. Dangerous",
    "Happy birthday to my wonderful sister! Have the best day",
    "Watching the cricket with a cup of tea, perfect Sunday",
    "Can't believe it's been ten years since we moved here",
    "Fixed the leaky tap myself. Feeling unreasonably proud",
    "New allotment season, new ambitions. Last year the slugs won",
    "Does anyone else find spreadsheets oddly relaxing?",
    "Brilliant gig last night, ears still ringing",
];
const WORK: [&str; 4] = [
    "Long day of workshops but a good one. Learned a lot about service design",
    "Interesting talk on data ethics at the conference today",
    "Grateful for a team that makes the hard weeks easier",
    "Off on annual leave next week, the inbox can wait",
];
const RISKY: [&str; 6] = [
    "Honestly the Tories are a disgrace, vote Labour!",
    "Can't wait to vote Reform at the next election",
    "Donate to the Labour campaign today, every pound helps",
    "The Chancellor's budget is a shambles",
    "Sign the petition to scrap the policy now",
    "Vote Green on Thursday, the planet can't wait",
];
const DISCLOSE: [&str; 2] = ["I work at HMRC and this week has been a lot", "As a civil servant at HMRC I see this every day"];
const TAGS: [&str; 6] = ["#Sunday", "#running", "#books", "#garden", "#London", "#coffee"];
const EMOJI: [&str; 6] = ["😀", "🌧️", "☕", "🏃‍♀️", "📚", "🎉"];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn post(rng: &mut Rng, i: u64) -> serde_json::Value {
    let roll = rng.next() % 100;
    let mut text = match roll {
        0..=4 => rng.pick(&RISKY).to_string(),
        5..=6 => rng.pick(&DISCLOSE).to_string(),
        7..=20 => rng.pick(&WORK).to_string(),
        _ => rng.pick(&EVERYDAY).to_string(),
    };
    let extra = rng.next() % 4;
    if extra == 0 {
        text = format!("{text} {}", rng.pick(&TAGS));
    } else if extra == 1 {
        text = format!("{text} {}", rng.pick(&EMOJI));
    } else if extra == 2 {
        text = format!("@friend{} {text} https://t.co/{:010x}", rng.next() % 500, rng.next() % 0xff_ffff_ffff);
    }
    if rng.next().is_multiple_of(10) {
        text = format!("Fish &amp; chips, then {}", text.to_lowercase());
    }
    // Ten years of posts, newest first as X writes them.
    let t = 1_700_000_000 - (i as i64) * 6_300 - (rng.next() % 3_000) as i64;
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    let dow = DAYS[((days + 3).rem_euclid(7)) as usize];
    let created = format!("{dow} {} {d:02} {:02}:{:02}:{:02} +0000 {y}", MONTHS[m as usize - 1], secs / 3600, secs / 60 % 60, secs % 60);
    let id = (1_100_000_000_000_000_000u64 - i * 10_000_019).to_string();
    let len = text.encode_utf16().count();
    serde_json::json!({
        "tweet": {
            "edit_info": { "initial": { "editTweetIds": [id], "editableUntil": "2023-11-14T23:13:20.000Z", "editsRemaining": "5", "isEditEligible": true } },
            "retweeted": false,
            "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
            "entities": { "hashtags": [], "symbols": [], "user_mentions": [], "urls": [] },
            "display_text_range": ["0", len.to_string()],
            "favorite_count": (rng.next() % 40).to_string(),
            "id_str": id,
            "truncated": false,
            "retweet_count": (rng.next() % 5).to_string(),
            "id": id,
            "created_at": created,
            "favorited": false,
            "full_text": text,
            "lang": "en"
        }
    })
}

fn civil(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The archive's bytes, with `media_mb` MB of incompressible media files beside the
/// posts (as real archives have).
fn archive(n: u64, media_mb: u64) -> Vec<u8> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut tweets = Vec::with_capacity(n as usize * 1100);
    tweets.extend_from_slice(b"window.YTD.tweets.part0 = [ ");
    for i in 0..n {
        if i > 0 {
            tweets.extend_from_slice(b", ");
        }
        serde_json::to_writer_pretty(&mut tweets, &post(&mut rng, i)).unwrap();
    }
    tweets.extend_from_slice(b" ]");
    let account = br#"window.YTD.account.part0 = [ { "account" : { "email" : "jo@example.org", "createdVia" : "web", "username" : "jo_civil", "accountId" : "42", "createdAt" : "2012-01-01T00:00:00.000Z", "accountDisplayName" : "Jo" } } ]"#;
    let profile = br#"window.YTD.profile.part0 = [ { "profile" : { "description" : { "bio" : "Policy adviser at HMRC. Runner, reader, allotment loser. Views my own.", "website" : "", "location" : "London" } } } ]"#;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(tweets.len() > u32::MAX as usize);
    for (name, data) in [("data/account.js", &account[..]), ("data/profile.js", &profile[..]), ("data/tweets.js", &tweets[..])] {
        w.start_file(name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut noise = Rng(7);
    for i in 0..media_mb {
        let jpeg: Vec<u8> = (0..1_000_000 / 8).flat_map(|_| noise.next().to_le_bytes()).collect();
        w.start_file(format!("data/tweets_media/{i:06}-photo.jpg"), stored).unwrap();
        w.write_all(&jpeg).unwrap();
    }
    eprintln!("tweets.js: {:.1} MB uncompressed", tweets.len() as f64 / 1e6);
    w.finish().unwrap().into_inner()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args.first().cloned().unwrap_or_else(|| "bench-archive.zip".into());
    let n: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50_000);
    if !args.iter().any(|a| a == "--existing") {
        let media_mb = args.iter().position(|a| a == "--media-mb").and_then(|i| args.get(i + 1)).and_then(|m| m.parse().ok()).unwrap_or(0);
        let bytes = archive(n, media_mb);
        std::fs::write(&out, &bytes).unwrap();
        eprintln!("{out}: {n} posts, {:.1} MB zipped", bytes.len() as f64 / 1e6);
    }
    if args.iter().any(|a| a == "--audit") {
        let engine = impartial_core::Engine::new(&impartial_core::Profile::example()).unwrap();
        let options = impartial_audit::AuditOptions { employer_names: vec!["HMRC".into()], ..Default::default() };
        let start = Instant::now();
        let input = impartial_audit::fs::open(std::path::Path::new(&out)).unwrap();
        let report = impartial_audit::audit(input, &engine, &options, &mut |_| std::ops::ControlFlow::Continue(())).unwrap();
        let audited = start.elapsed();
        let mut html = Vec::new();
        impartial_audit::render::html(&report, &mut html).unwrap();
        println!(
            "in-process: {} posts, {} flagged, audit {:.0} ms, +HTML {:.0} ms ({:.1} MB), peak RSS {} MiB",
            report.posts_read,
            report.posts_flagged,
            audited.as_secs_f64() * 1e3,
            start.elapsed().as_secs_f64() * 1e3,
            html.len() as f64 / 1e6,
            peak_rss_kib().map_or("?".into(), |k| (k / 1024).to_string())
        );
    }
}
