//! Model: the learned classifier's opinion of a received text, as signals with evidence.
//!
//! The classifier's probabilities are read on its calibrated scale ([`calibrated`]: 0.5 is
//! the threshold the model chose on its dev data), so that one policy suits the default model
//! and a model an operator trained. Above the policy's `model_scam_min` the text gets
//! `model_scam`, with a strength that grows linearly from 0 at the minimum to 1 at certainty;
//! likewise `model_spam`. The evidence is the three words or phrases that pushed the score
//! most, so that a warning can say which words gave the message away.

use crate::model::{calibrated, Class, Features, Model, Prediction};
use crate::policy::Settings;
use crate::signal::{codes, SignalSet};
use crate::text::Normalised;

/// Phrases named as evidence.
const EVIDENCE_PHRASES: usize = 3;

/// Scores `text` with `model` and adds `model_scam` and `model_spam` as the policy's
/// settings say. Texts in a script the model was not trained on get no signal.
pub fn detect_model(text: &str, model: &Model, settings: &Settings, out: &mut SignalSet) {
    if text.trim().is_empty() || model.skips_raw(text) {
        return;
    }
    detect_model_normalised(text, &Normalised::new(text), model, settings, out);
}

/// [`detect_model`] for a text the engine has already normalised.
pub fn detect_model_normalised(
    text: &str,
    n: &Normalised,
    model: &Model,
    settings: &Settings,
    out: &mut SignalSet,
) {
    if text.trim().is_empty() || model.skips_raw(text) {
        return;
    }
    // One pass over the text: the features kept here also explain the score when needed. The
    // buffer is reused per thread, so that a scan allocates nothing for them.
    KEPT.with_borrow_mut(|kept| {
        if let Some(p) = model.predict_keeping(n, kept) {
            add_signals(n, model, &p, kept, settings, out);
        }
    });
}

thread_local! {
    static KEPT: std::cell::RefCell<Features> = std::cell::RefCell::new(Features::default());
}

/// The signals of one prediction.
fn add_signals(
    n: &Normalised,
    model: &Model,
    p: &Prediction,
    kept: &Features,
    settings: &Settings,
    out: &mut SignalSet,
) {
    let t = p.thresholds;
    for (class, code, threshold, min) in [
        (
            Class::Scam,
            codes::MODEL_SCAM,
            t.scam,
            settings.model_scam_min,
        ),
        (
            Class::Spam,
            codes::MODEL_SPAM,
            t.spam,
            settings.model_spam_min,
        ),
    ] {
        let score = f64::from(calibrated(p.prob(class), threshold));
        if score <= min {
            continue;
        }
        let strength = if min >= 1.0 {
            1.0
        } else {
            (score - min) / (1.0 - min)
        };
        let evidence: Vec<String> = model
            .explain_kept(n, kept, class, EVIDENCE_PHRASES)
            .into_iter()
            .map(|c| c.text)
            .collect();
        out.add(code, strength, evidence.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scam_text_gets_a_signal_with_words_as_evidence() {
        let m = Model::builtin();
        let mut s = SignalSet::new();
        let text = "URGENT: your bank account has been suspended. Verify your identity now at \
                    http://secure-bank-verify.top/login or it will be closed";
        detect_model(text, &m, &Settings::default(), &mut s);
        let e = s.get(codes::MODEL_SCAM).expect("model_scam");
        assert!(e.strength > 0.0 && e.strength <= 1.0);
        let words = Normalised::new(text).words;
        for phrase in e.evidence[0].split(", ") {
            assert!(words.contains(phrase), "{phrase:?} not in the text");
        }
    }

    #[test]
    fn ordinary_text_gets_no_scam_signal() {
        let m = Model::builtin();
        let mut s = SignalSet::new();
        detect_model(
            "Are we still on for dinner at 7? I booked the Thai place.",
            &m,
            &Settings::default(),
            &mut s,
        );
        assert!(!s.has(codes::MODEL_SCAM), "{s:?}");
        detect_model("", &m, &Settings::default(), &mut s);
        assert!(s.is_empty());
    }
}
