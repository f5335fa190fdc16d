//! The committed model scores the recorded posts as training recorded them
//! (`crate/core/model/recorded.tsv`, written by `./build.sh train`). A retrained model
//! changes that file in the same diff, so a changed model is always a reviewed one; this
//! test fails if the model file and the recording disagree, or if the engine computes
//! scores differently from the trainer.

use impartial_core::{example_profile, Engine, Policy};

const RECORDED: &str = include_str!("../model/recorded.tsv");

#[test]
fn the_committed_model_scores_the_recorded_posts_as_recorded() {
    let engine = Engine::new(&example_profile("uk-civil-service", Policy::UkCivilService)).unwrap();
    let mut lines = RECORDED.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("a header").split('\t').skip(1).collect();
    let categories: Vec<&str> = Engine::judged_categories().iter().map(|c| c.as_str()).collect();
    assert_eq!(header, categories, "recorded.tsv's columns are the judged categories");
    let mut checked = 0;
    for line in lines {
        let mut fields = line.split('\t');
        let text = fields.next().unwrap();
        let scores = engine.scores(text);
        for ((category, got), want) in scores.iter().zip(fields) {
            checked += 1;
            match (got, want) {
                (None, "-") => {}
                (Some(p), want) => {
                    let want: f32 = want.parse().unwrap_or_else(|_| panic!("{text:?}: {category:?} recorded as {want:?}, scored {p}"));
                    assert!((p - want).abs() < 2e-3, "{text:?}: {category:?} scored {p}, recorded {want}");
                }
                (None, want) => panic!("{text:?}: {category:?} not judged (no gate cue), recorded {want}"),
            }
        }
    }
    assert!(checked >= 40, "only {checked} recorded scores");
}
