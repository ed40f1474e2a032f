//! Training: multinomial logistic regression fitted with AdaGrad, settings chosen on dev.
//!
//! The recipe, and why:
//! - **Features once.** Every text is normalised and hashed once into a sparse row (bucket,
//!   value), duplicates merged; epochs then only walk integer arrays.
//! - **AdaGrad with L2**, one example at a time. Per-bucket step sizes suit hashed n-grams,
//!   whose frequencies span five orders of magnitude: rare n-grams keep learning after common
//!   ones have settled. The L2 penalty is applied to the weights an example touches (the usual
//!   lazy form for sparse data).
//! - **Class weights** `(n / (k · n_label))^power`: power 1 is fully balanced, 0.5 halfway,
//!   because scam is the rarest class in most sets and also the one that matters.
//! - **Coarse labels.** Many sets say only "spam" without a scam class; their spam is
//!   whatever was unwanted, scams included. Such texts are [`Label::Unwanted`] and train the
//!   model to put its weight on spam *or* scam (loss `-log(p_spam + p_scam)`), so that they
//!   teach ham against unwanted without teaching that smishing is marketing.
//! - **Determinism.** One thread; the example order of each epoch is a Fisher–Yates shuffle
//!   driven by SplitMix64 from the seed; no hash-map iteration anywhere. The same examples,
//!   configuration and seed give the same model file, byte for byte.
//! - **Averaging.** The weights that are evaluated and shipped are the average of the iterates
//!   over every step (Polyak–Ruppert), kept in O(1) per update with the usual running-sum
//!   trick. On the dev splits this recovered 2–5 points of recall on the unseen smishing and
//!   spam sets at the same false-positive rate.
//! - **Choosing on dev.** Each (learning rate, L2, class-weight power) setting trains until
//!   its dev score has not improved for `patience` epochs; the score is the mean F1 of
//!   `unwanted`, `spam` and `scam` with thresholds tuned on dev. The best epoch of the best
//!   setting wins, is quantised to `i8`, and its thresholds are tuned again on the quantised
//!   model (on a 0.01 grid, smoothed over ±0.03 so that a few dev texts cannot pull them onto
//!   a spike), so the stored thresholds fit the weights that ship.

use super::features::{self, Origin, Sink};
use super::{
    softmax, Class, ClassMetrics, DevMetrics, Languages, Model, ModelInfo, SourceInfo, Thresholds,
    TrainingInfo,
};
use crate::text::Normalised;
use serde::Serialize;

/// A training label: a class, or only "unwanted" for datasets that do not tell spam from scam.
/// Ordered from least to most specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    /// Legitimate.
    Ham,
    /// Spam or scam, not said which.
    Unwanted,
    /// Unwanted marketing.
    Spam,
    /// Fraud.
    Scam,
}

impl Label {
    /// Every label, in code order.
    const ALL: [Label; 4] = [Label::Ham, Label::Spam, Label::Scam, Label::Unwanted];

    /// Compact code: the class index, or 3 for unwanted.
    fn code(self) -> u8 {
        match self {
            Label::Ham => 0,
            Label::Spam => 1,
            Label::Scam => 2,
            Label::Unwanted => 3,
        }
    }

    /// The label's snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Ham => "ham",
            Label::Spam => "spam",
            Label::Scam => "scam",
            Label::Unwanted => "unwanted",
        }
    }
}

impl From<Class> for Label {
    fn from(c: Class) -> Label {
        match c {
            Class::Ham => Label::Ham,
            Class::Spam => Label::Spam,
            Class::Scam => Label::Scam,
        }
    }
}

/// One labelled text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example<'a> {
    /// The message.
    pub text: &'a str,
    /// Its gold label.
    pub label: Label,
    /// Which dataset it came from (any number that tells sets apart): on dev, each set is
    /// scored on its own and the scores averaged.
    pub set: u32,
}

/// What to try and how long.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Seed of the shuffles.
    pub seed: u64,
    /// log2 of the number of hash buckets (16–24).
    pub bits: u32,
    /// Options of the feature scheme, recorded in the model header.
    pub scheme: features::Scheme,
    /// Most epochs per setting.
    pub max_epochs: u32,
    /// Epochs without dev improvement before a setting stops.
    pub patience: u32,
    /// AdaGrad learning rates to try.
    pub learning_rates: Vec<f32>,
    /// L2 penalties to try.
    pub l2: Vec<f32>,
    /// Class-weight powers to try (0: unweighted, 1: balanced).
    pub class_weight_powers: Vec<f32>,
    /// Whether to ship the weights averaged over every step (Polyak–Ruppert) rather than the
    /// last ones.
    pub average: bool,
    /// Runs averaged into the shipped weights: the chosen setting is fitted again for its
    /// best number of epochs under `runs - 1` further shuffles, and the weights of all runs
    /// are averaged (1: the chosen run alone).
    pub runs: u32,
    /// Whether a model of both scripts gets its own thresholds for Chinese texts, each pair
    /// tuned on the dev texts of its script.
    pub per_script_thresholds: bool,
    /// Whether the dev score averages each dev set's macro-F1 (every set counts the same, as
    /// each is judged on its own) rather than pooling every dev text.
    pub per_set_score: bool,
    /// Folds of train whose out-of-fold scores the thresholds are chosen on (0: dev alone).
    /// With K ≥ 2 the chosen setting is fitted K more times, each on K − 1 folds for the
    /// chosen number of epochs, and scores the fold it did not see; the thresholds are then
    /// tuned on those scores (and on dev's, with [`TrainConfig::threshold_dev`]), several
    /// times as many texts as dev alone, so they scatter less from one training to the next.
    pub threshold_folds: u32,
    /// Whether dev's scores (from the shipped model) join the out-of-fold ones when
    /// `threshold_folds` ≥ 2.
    pub threshold_dev: bool,
    /// Where the examples came from, recorded in the model header.
    pub sources: Vec<SourceInfo>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 1,
            bits: 20,
            // Digits kept: on the dev splits of five sets, with three runs, every set did at
            // least as well as with digits folded (docs/evaluation.md).
            scheme: features::Scheme {
                keep_digits: true,
                ..features::Scheme::default()
            },
            max_epochs: 12,
            patience: 3,
            learning_rates: vec![0.1],
            l2: vec![1e-6, 1e-5, 1e-4],
            class_weight_powers: vec![0.5, 1.0],
            average: true,
            runs: 3,
            per_script_thresholds: true,
            per_set_score: true,
            threshold_folds: 0,
            threshold_dev: true,
            sources: Vec::new(),
        }
    }
}

/// What the trainer is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Normalising and hashing the texts.
    Features,
    /// Fitting one setting.
    Fitting {
        /// Setting number, from 0.
        trial: usize,
        /// Settings in all.
        trials: usize,
        /// Epoch, from 1.
        epoch: u32,
    },
    /// Fitting the chosen setting on all folds of train but one, to score that one.
    Folds {
        /// The held-out fold, from 0.
        fold: u32,
        /// Folds in all.
        folds: u32,
    },
    /// Quantising and tuning the thresholds of the chosen model.
    Finishing,
}

/// A progress report: `done` of `total` work units (one unit per text processed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Current phase.
    pub phase: Phase,
    /// Units done.
    pub done: u64,
    /// Units in all (an upper bound: early stopping finishes sooner).
    pub total: u64,
    /// Best dev score so far, once there is one.
    pub best_dev_f1: Option<f32>,
}

/// One setting that was tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trial {
    /// AdaGrad learning rate.
    pub learning_rate: f32,
    /// L2 penalty.
    pub l2: f32,
    /// Class-weight power.
    pub class_weight_power: f32,
    /// Its best epoch, from 1.
    pub best_epoch: u32,
    /// Dev score at that epoch (thresholds tuned, full-precision weights): macro-F1, averaged
    /// over the dev sets unless the score is pooled.
    pub dev_macro_f1: f32,
    /// Dev log-loss at that epoch.
    pub dev_log_loss: f32,
}

/// What training found.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainReport {
    /// Every setting tried, in order.
    pub trials: Vec<Trial>,
    /// Index of the chosen one.
    pub chosen: usize,
    /// Dev quality of the shipped (quantised) model with its stored thresholds.
    pub dev: DevMetrics,
    /// The texts the thresholds were tuned on.
    pub threshold_texts: ThresholdTexts,
}

/// How many texts the thresholds were tuned on, by origin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ThresholdTexts {
    /// Train texts scored by a model that did not see them (see
    /// [`TrainConfig::threshold_folds`]).
    pub out_of_fold: u64,
    /// Dev texts scored by the shipped model.
    pub dev: u64,
}

/// Why a model could not be trained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainError {
    /// No training example had any letters or digits.
    #[error("no training examples (records with split \"train\" and some text)")]
    NoTrainingData,
    /// There is nothing to choose settings on.
    #[error("no dev examples (records with split \"dev\"): settings are chosen on dev")]
    NoDevData,
    /// A classifier needs ham and something to tell it from.
    #[error("training needs ham and at least one of spam or scam; found only {0}")]
    OneClass(String),
    /// A setting is out of range.
    #[error("invalid training setting: {0}")]
    Config(String),
}

/// Sparse rows, stored flat.
#[derive(Default)]
struct Rows {
    start: Vec<u32>,
    bucket: Vec<u32>,
    value: Vec<f32>,
    class: Vec<u8>,
    /// Whether each text is mostly ideographs (which thresholds apply to it).
    cjk: Vec<bool>,
    /// The set each text came from.
    set: Vec<u32>,
    /// The index of each text's example (texts without letters or digits have no row).
    source: Vec<u32>,
}

impl Rows {
    fn len(&self) -> usize {
        self.class.len()
    }

    fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
        (&self.bucket[a..b], &self.value[a..b])
    }
}

/// Gathers one text's features before they are merged into a row.
#[derive(Default)]
struct Gather {
    sparse: Vec<u32>,
    /// The [`features::Family`] of each of `sparse`.
    family: Vec<u8>,
    dense: Vec<u32>,
}

impl Sink for Gather {
    fn sparse(&mut self, bucket: u32, origin: Origin) {
        self.sparse.push(bucket);
        self.family.push(origin.family() as u8);
    }
    fn dense(&mut self, bucket: u32) {
        self.dense.push(bucket);
    }
}

/// Hashes `examples` into rows; returns the rows and how many texts needed ideographs and how
/// many needed other letters (see [`features::Extracted::needs`]).
fn featurise(
    examples: &[Example<'_>],
    bits: u32,
    scheme: features::Scheme,
    idf: Option<&[u8]>,
    progress: &mut dyn FnMut(&Progress),
    done: &mut u64,
    total: u64,
) -> (Rows, [u64; 2]) {
    let mut rows = Rows::default();
    rows.start.push(0);
    let mut scripts = [0u64; 2];
    let mut g = Gather::default();
    let mut pairs: Vec<(u32, f32)> = Vec::new();
    for (index, e) in examples.iter().enumerate() {
        *done += 1;
        if done.is_multiple_of(4096) {
            progress(&Progress {
                phase: Phase::Features,
                done: *done,
                total,
                best_dev_f1: None,
            });
        }
        g.sparse.clear();
        g.family.clear();
        g.dense.clear();
        let n = Normalised::new(e.text);
        let ex = features::extract_with(&n, bits, scheme, &mut g);
        if ex.alnum_chars == 0 {
            continue;
        }
        let (cjk, latin) = ex.needs();
        scripts[0] += u64::from(cjk);
        scripts[1] += u64::from(latin);
        if !scheme.weighted() {
            let v = ex.family_values(scheme.norm);
            pairs.clear();
            pairs.extend(
                g.sparse
                    .iter()
                    .zip(&g.family)
                    .map(|(&b, &f)| (b, v[f as usize])),
            );
        } else {
            if scheme.by_family() {
                for (b, &f) in g.sparse.iter_mut().zip(&g.family) {
                    *b = features::tagged(*b, features::Family::from_code(f));
                }
            }
            features::weigh(&mut g.sparse, scheme.tf, idf, &mut pairs);
            for p in pairs.iter_mut() {
                p.0 = features::untagged(p.0);
            }
        }
        pairs.extend(g.dense.iter().map(|&b| (b, 1.0)));
        pairs.sort_unstable_by_key(|p| p.0);
        let mut last = u32::MAX;
        for &(b, x) in &pairs {
            if b == last {
                *rows.value.last_mut().expect("a previous entry") += x;
            } else {
                rows.bucket.push(b);
                rows.value.push(x);
                last = b;
            }
        }
        rows.start.push(rows.bucket.len() as u32);
        rows.class.push(e.label.code());
        rows.cjk.push(ex.mostly_cjk());
        rows.set.push(e.set);
        rows.source.push(index as u32);
    }
    (rows, scripts)
}

/// SplitMix64: a tiny, well-mixed generator, fully determined by its seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // Multiply-shift; the bias is far below anything that matters for a shuffle.
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// Fisher–Yates: the order of one epoch.
    fn shuffle(&mut self, order: &mut [u32]) {
        for i in (1..order.len()).rev() {
            order.swap(i, self.below(i + 1));
        }
    }
}

/// Full-precision weights: one row of three class weights per bucket, and a bias.
#[derive(Clone)]
struct Params {
    w: Vec<[f32; 3]>,
    b: [f32; 3],
}

impl Params {
    fn new(bits: u32) -> Params {
        Params {
            w: vec![[0.0; 3]; 1 << bits],
            b: [0.0; 3],
        }
    }

    fn probs(&self, buckets: &[u32], values: &[f32]) -> [f32; 3] {
        let mut z = self.b;
        for (&k, &x) in buckets.iter().zip(values) {
            let w = &self.w[k as usize];
            z[0] += w[0] * x;
            z[1] += w[1] * x;
            z[2] += w[2] * x;
        }
        softmax(z)
    }

    /// Every weight, then the biases.
    fn values(&self) -> impl Iterator<Item = f32> + '_ {
        self.w.iter().flatten().chain(&self.b).copied()
    }

    /// Every weight, then the biases, in the order of [`Params::values`].
    fn values_mut(&mut self) -> impl Iterator<Item = &mut f32> {
        self.w.iter_mut().flatten().chain(&mut self.b)
    }
}

/// AdaGrad's state, and the running sums behind the averaged weights.
struct Optimizer {
    /// Sum of squared gradients per weight and per bias.
    g2: Vec<[f32; 3]>,
    gb2: [f32; 3],
    /// Sum of (step number × change) per weight and bias: with it the average of the weights
    /// over every step is `((t + 1) w - u) / t`, kept without touching untouched buckets.
    u: Vec<[f64; 3]>,
    ub: [f64; 3],
    /// Steps taken.
    t: u64,
}

impl Optimizer {
    fn new(bits: u32) -> Optimizer {
        Optimizer {
            g2: vec![[0.0; 3]; 1 << bits],
            gb2: [0.0; 3],
            u: vec![[0.0; 3]; 1 << bits],
            ub: [0.0; 3],
            t: 0,
        }
    }

    /// The weights averaged over every step so far (Polyak–Ruppert averaging): the last
    /// iterate of a stochastic method wanders with the last examples it saw, the average
    /// does not.
    fn averaged(&self, p: &Params) -> Params {
        if self.t == 0 {
            return p.clone();
        }
        let t = self.t as f64;
        let avg = |w: f32, u: f64| (((t + 1.0) * f64::from(w) - u) / t) as f32;
        Params {
            w: p.w
                .iter()
                .zip(&self.u)
                .map(|(w, u)| [avg(w[0], u[0]), avg(w[1], u[1]), avg(w[2], u[2])])
                .collect(),
            b: [
                avg(p.b[0], self.ub[0]),
                avg(p.b[1], self.ub[1]),
                avg(p.b[2], self.ub[2]),
            ],
        }
    }
}

/// One epoch of AdaGrad over `order`.
#[allow(clippy::too_many_arguments)]
fn epoch(
    p: &mut Params,
    opt: &mut Optimizer,
    rows: &Rows,
    order: &[u32],
    lr: f32,
    l2: f32,
    class_weight: &[f32; 4],
    mut tick: impl FnMut(),
) {
    const EPS: f32 = 1e-8;
    for &i in order {
        opt.t += 1;
        let t = opt.t as f64;
        let (buckets, values) = rows.row(i as usize);
        let y = rows.class[i as usize] as usize;
        let probs = p.probs(buckets, values);
        let cw = class_weight[y];
        // The target distribution: the gold class, or for "unwanted" the model's own split
        // between spam and scam (the gradient of -log(p_spam + p_scam)).
        let target = if y == 3 {
            let u = (probs[1] + probs[2]).max(1e-12);
            [0.0, probs[1] / u, probs[2] / u]
        } else {
            let mut t = [0.0f32; 3];
            t[y] = 1.0;
            t
        };
        let mut g = [0.0f32; 3];
        for c in 0..3 {
            g[c] = cw * (probs[c] - target[c]);
        }
        for (&k, &x) in buckets.iter().zip(values) {
            let w = &mut p.w[k as usize];
            let a = &mut opt.g2[k as usize];
            let u = &mut opt.u[k as usize];
            for c in 0..3 {
                let grad = g[c] * x + l2 * w[c];
                a[c] += grad * grad;
                let d = -lr * grad / (a[c].sqrt() + EPS);
                w[c] += d;
                u[c] += t * f64::from(d);
            }
        }
        for (c, &gc) in g.iter().enumerate() {
            opt.gb2[c] += gc * gc;
            let d = -lr * gc / (opt.gb2[c].sqrt() + EPS);
            p.b[c] += d;
            opt.ub[c] += t * f64::from(d);
        }
        tick();
    }
}

/// Precision, recall and F1 from counts.
fn rates(tp: u64, fp: u64, fn_: u64) -> ClassMetrics {
    let precision = if tp + fp == 0 {
        0.0
    } else {
        tp as f32 / (tp + fp) as f32
    };
    let recall = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f32 / (tp + fn_) as f32
    };
    ClassMetrics {
        support: tp + fn_,
        precision,
        recall,
        f1: if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        },
    }
}

/// Dev metrics of predictions against label codes. Spam and scam are measured on the texts
/// whose labels tell them apart; "unwanted" (ham against the rest) on every text. The score
/// is the mean F1 of those present.
fn metrics(gold: &[u8], predicted: impl Iterator<Item = Class>) -> DevMetrics {
    // counts[class] = (tp, fp, fn) for spam and scam; unwanted separately.
    let mut counts = [[0u64; 3]; 3];
    let mut unwanted = [0u64; 3];
    let (mut ham, mut ham_flagged) = (0u64, 0u64);
    for (&g, p) in gold.iter().zip(predicted) {
        let p = p.index();
        let (gu, pu) = (g != 0, p != 0);
        match (gu, pu) {
            (true, true) => unwanted[0] += 1,
            (false, true) => unwanted[1] += 1,
            (true, false) => unwanted[2] += 1,
            (false, false) => {}
        }
        if g == 0 {
            ham += 1;
            ham_flagged += u64::from(pu);
        }
        if g == 3 {
            continue;
        }
        let g = g as usize;
        if g == p {
            counts[g][0] += 1;
        } else {
            counts[p][1] += 1;
            counts[g][2] += 1;
        }
    }
    let mut classes = std::collections::BTreeMap::new();
    let mut f1s = Vec::new();
    let u = rates(unwanted[0], unwanted[1], unwanted[2]);
    if u.support > 0 {
        f1s.push(u.f1);
        classes.insert("unwanted".to_string(), u);
    }
    for c in [Class::Spam, Class::Scam] {
        let [tp, fp, fn_] = counts[c.index()];
        let m = rates(tp, fp, fn_);
        if m.support > 0 {
            f1s.push(m.f1);
            classes.insert(c.as_str().to_string(), m);
        }
    }
    DevMetrics {
        records: gold.len() as u64,
        macro_f1: if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f32>() / f1s.len() as f32
        },
        classes,
        ham_flagged: if ham == 0 {
            0.0
        } else {
            ham_flagged as f32 / ham as f32
        },
    }
}

/// Most folds `threshold_folds` may ask for.
const MAX_THRESHOLD_FOLDS: u32 = 20;

/// Grid steps (of 0.01) on each side over which the final threshold choice is smoothed.
const THRESHOLD_SMOOTHING: usize = 3;

/// Gold labels of dev texts, with the dev set (dataset) each came from.
#[derive(Clone, Copy)]
struct Gold<'a> {
    class: &'a [u8],
    set: &'a [u32],
    /// Score as the mean over sets rather than over all texts pooled.
    per_set: bool,
}

impl Gold<'_> {
    /// The texts of each set that has unwanted texts on dev, each with the texts of every
    /// ham-only set (which has no F1 of its own, but whose false alarms count against every
    /// set's precision, as they did pooled); pooled, everything is one group.
    fn groups(&self) -> Vec<Vec<usize>> {
        if !self.per_set {
            return vec![(0..self.class.len()).collect()];
        }
        let mut by_set: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, &s) in self.set.iter().enumerate() {
            by_set.entry(s).or_default().push(i);
        }
        let (mut groups, ham_only): (Vec<Vec<usize>>, Vec<Vec<usize>>) = by_set
            .into_values()
            .partition(|g| g.iter().any(|&i| self.class[i] != 0));
        if groups.is_empty() {
            return vec![(0..self.class.len()).collect()];
        }
        let ham: Vec<usize> = ham_only.into_iter().flatten().collect();
        for g in &mut groups {
            g.extend(&ham);
        }
        groups
    }

    /// The texts `keep` selects, in order.
    fn subset(&self, keep: &[bool]) -> (Vec<u8>, Vec<u32>) {
        self.class
            .iter()
            .zip(self.set)
            .zip(keep)
            .filter(|(_, &k)| k)
            .map(|((&c, &s), _)| (c, s))
            .unzip()
    }
}

/// The dev score of `predicted`: the macro-F1 of [`metrics`], averaged over `groups` (each
/// set counts as much as any other, as each is judged on its own).
fn score(gold: &[u8], groups: &[Vec<usize>], predicted: &[Class]) -> f32 {
    let sum: f32 = groups
        .iter()
        .map(|g| metrics_of(gold, g, predicted).macro_f1)
        .sum();
    sum / groups.len().max(1) as f32
}

fn metrics_of(gold: &[u8], group: &[usize], predicted: &[Class]) -> DevMetrics {
    let g: Vec<u8> = group.iter().map(|&i| gold[i]).collect();
    metrics(&g, group.iter().map(|&i| predicted[i]))
}

/// The thresholds (on a grid of `steps` values per class) that maximise the dev score,
/// smoothed: each point is scored by the mean score of its neighbours within `radius` grid
/// steps, so that the choice falls in the middle of a broad optimum rather than on a spike
/// that a few dev texts happen to produce. Among equals, the highest thresholds (which flag
/// fewest legitimate texts) win. Returns the thresholds and their (unsmoothed) metrics over
/// every text.
fn tune(probs: &[[f32; 3]], gold: Gold<'_>, steps: u32, radius: usize) -> (Thresholds, DevMetrics) {
    let grid: Vec<f32> = (1..steps).rev().map(|i| i as f32 / steps as f32).collect();
    let n = grid.len();
    let groups = gold.groups();
    let mut f1 = vec![0.0f32; n * n];
    let mut predicted = vec![Class::Ham; probs.len()];
    for (i, &scam) in grid.iter().enumerate() {
        for (j, &spam) in grid.iter().enumerate() {
            let t = Thresholds { scam, spam };
            for (out, p) in predicted.iter_mut().zip(probs) {
                *out = t.classify(p);
            }
            f1[i * n + j] = score(gold.class, &groups, &predicted);
        }
    }
    let mut best = (0usize, 0usize, f32::MIN);
    for i in 0..n {
        for j in 0..n {
            let (mut sum, mut count) = (0.0f32, 0u32);
            for a in i.saturating_sub(radius)..(i + radius + 1).min(n) {
                for b in j.saturating_sub(radius)..(j + radius + 1).min(n) {
                    sum += f1[a * n + b];
                    count += 1;
                }
            }
            let score = sum / count as f32;
            if score > best.2 {
                best = (i, j, score);
            }
        }
    }
    let t = Thresholds {
        scam: grid[best.0],
        spam: grid[best.1],
    };
    (t, metrics(gold.class, probs.iter().map(|p| t.classify(p))))
}

/// [`tune`] for each script: with `cjk` (which dev texts are mostly ideographs) the Chinese
/// and the other texts get their own thresholds, when each has ham and something unwanted to
/// tell it from. Returns the thresholds of the other texts, the Chinese ones if tuned apart,
/// the metrics of every text with the thresholds of its script, and the dev score (see
/// [`score`]) of those predictions.
fn tune_by_script(
    probs: &[[f32; 3]],
    gold: Gold<'_>,
    cjk: Option<&[bool]>,
    steps: u32,
    radius: usize,
) -> (Thresholds, Option<Thresholds>, DevMetrics, f32) {
    let split = cjk.filter(|cjk| {
        let both = |want: bool| {
            let mut seen = [false; 2];
            for (&g, _) in gold
                .class
                .iter()
                .zip(cjk.iter())
                .filter(|(_, &c)| c == want)
            {
                seen[usize::from(g != 0)] = true;
            }
            seen == [true, true]
        };
        both(true) && both(false)
    });
    let Some(cjk) = split else {
        let (t, m) = tune(probs, gold, steps, radius);
        let predicted: Vec<Class> = probs.iter().map(|p| t.classify(p)).collect();
        let s = score(gold.class, &gold.groups(), &predicted);
        return (t, None, m, s);
    };
    let part = |want: bool| {
        let keep: Vec<bool> = cjk.iter().map(|&c| c == want).collect();
        let p: Vec<[f32; 3]> = probs
            .iter()
            .zip(&keep)
            .filter(|(_, &k)| k)
            .map(|(p, _)| *p)
            .collect();
        let (class, set) = gold.subset(&keep);
        let g = Gold {
            class: &class,
            set: &set,
            per_set: gold.per_set,
        };
        tune(&p, g, steps, radius).0
    };
    let (other, zh) = (part(false), part(true));
    let predicted: Vec<Class> = probs
        .iter()
        .zip(cjk)
        .map(|(p, &c)| if c { zh } else { other }.classify(p))
        .collect();
    let m = metrics(gold.class, predicted.iter().copied());
    let s = score(gold.class, &gold.groups(), &predicted);
    (other, Some(zh), m, s)
}

fn log_loss(probs: &[[f32; 3]], gold: &[u8]) -> f32 {
    let s: f64 = probs
        .iter()
        .zip(gold)
        .map(|(p, &g)| {
            let q = if g == 3 { p[1] + p[2] } else { p[g as usize] };
            -f64::from(q.max(1e-7)).ln()
        })
        .sum();
    (s / probs.len().max(1) as f64) as f32
}

/// Per-example weights by label code, normalised so that they average 1 over the training
/// texts `class` (their label codes).
fn class_weights(class: &[u8], power: f32) -> [f32; 4] {
    let mut n = [0u64; 4];
    for &c in class {
        n[c as usize] += 1;
    }
    let present = n.iter().filter(|&&x| x > 0).count() as f32;
    let total = class.len() as f32;
    let mut w = [0.0f32; 4];
    for c in 0..4 {
        if n[c] > 0 {
            w[c] = (total / (present * n[c] as f32)).powf(power);
        }
    }
    let mean: f32 = (0..4).map(|c| w[c] * n[c] as f32).sum::<f32>() / total;
    w.map(|x| x / mean)
}

/// Quantises full-precision weights into a model: spam and scam relative to ham, `i8` with a
/// scale per class.
fn quantise(p: &Params, bits: u32) -> (Vec<[i8; 2]>, [f32; 2], [f32; 2]) {
    let mut max = [0.0f32; 2];
    for w in &p.w {
        max[0] = max[0].max((w[1] - w[0]).abs());
        max[1] = max[1].max((w[2] - w[0]).abs());
    }
    let scale = max.map(|m| if m > 0.0 { m / 127.0 } else { 1.0 });
    let q = |v: f32, s: f32| (v / s).round().clamp(-127.0, 127.0) as i8;
    let weights =
        p.w.iter()
            .map(|w| [q(w[1] - w[0], scale[0]), q(w[2] - w[0], scale[1])])
            .collect::<Vec<_>>();
    debug_assert_eq!(weights.len(), 1 << bits);
    (weights, [p.b[1] - p.b[0], p.b[2] - p.b[0]], scale)
}

/// The stored IDF of every bucket ([`features::idf_table`]) from the texts of `train` that
/// have letters or digits (the texts training learns from).
fn document_frequencies(train: &[Example<'_>], bits: u32, scheme: features::Scheme) -> Vec<u8> {
    let mut df = vec![0u32; 1 << bits];
    let mut n = 0u32;
    let mut g = Gather::default();
    for e in train {
        g.sparse.clear();
        g.family.clear();
        g.dense.clear();
        let ex = features::extract_with(&Normalised::new(e.text), bits, scheme, &mut g);
        if ex.alnum_chars == 0 {
            continue;
        }
        n += 1;
        g.sparse.sort_unstable();
        g.sparse.dedup();
        for &b in &g.sparse {
            df[b as usize] += 1;
        }
    }
    features::idf_table(&df, n)
}

/// One fit of a chosen setting on some of the training rows.
struct Fit<'a> {
    rows: &'a Rows,
    /// The rows fitted, in the order the first shuffle starts from.
    texts: &'a [u32],
    learning_rate: f32,
    l2: f32,
    class_weight: [f32; 4],
    epochs: u32,
    average: bool,
}

impl Fit<'_> {
    /// Fits fresh weights for `epochs` epochs, each in an order shuffled by the generator
    /// seeded with `seed`; `on_epoch` hears of each epoch's end.
    fn run(&self, bits: u32, seed: u64, mut on_epoch: impl FnMut(u32)) -> Params {
        let mut rng = SplitMix(seed);
        let mut order = self.texts.to_vec();
        let mut p = Params::new(bits);
        let mut opt = Optimizer::new(bits);
        for e in 1..=self.epochs {
            rng.shuffle(&mut order);
            let (lr, l2, cw) = (self.learning_rate, self.l2, &self.class_weight);
            epoch(&mut p, &mut opt, self.rows, &order, lr, l2, cw, || {});
            on_epoch(e);
        }
        if self.average {
            opt.averaged(&p)
        } else {
            p
        }
    }
}

/// The shuffling seed of run `run` (from 1) of the chosen setting.
fn run_seed(seed: u64, run: u32) -> u64 {
    seed ^ u64::from(run).wrapping_mul(0xa076_1d64_78bd_642f)
}

/// Adds `x` into `sum`, weight by weight.
fn add(sum: &mut Params, x: &Params) {
    for (s, v) in sum.values_mut().zip(x.values()) {
        *s += v;
    }
}

/// Divides every weight of a sum of `runs` fits by `runs`: their mean.
fn scale_down(sum: &mut Params, runs: u32) {
    let k = runs as f32;
    for x in sum.values_mut() {
        *x /= k;
    }
}

/// The fold (below `folds`) of a training text: from a hash of its characters and the seed,
/// so that the split does not depend on the order of the files.
fn fold_of(text: &str, seed: u64, folds: u32) -> u32 {
    // FNV-1a, then SplitMix to spread it.
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    SplitMix(h ^ seed).below(folds as usize) as u32
}

/// Texts with their scores, gold labels, scripts and sets: what thresholds are tuned on.
#[derive(Default)]
struct Scored {
    probs: Vec<[f32; 3]>,
    gold: Vec<u8>,
    cjk: Vec<bool>,
    set: Vec<u32>,
}

impl Scored {
    fn push(&mut self, probs: [f32; 3], gold: u8, cjk: bool, set: u32) {
        self.probs.push(probs);
        self.gold.push(gold);
        self.cjk.push(cjk);
        self.set.push(set);
    }

    fn extend(&mut self, other: &Scored) {
        self.probs.extend_from_slice(&other.probs);
        self.gold.extend_from_slice(&other.gold);
        self.cjk.extend_from_slice(&other.cjk);
        self.set.extend_from_slice(&other.set);
    }

    fn gold(&self, per_set: bool) -> Gold<'_> {
        Gold {
            class: &self.gold,
            set: &self.set,
            per_set,
        }
    }
}

/// The classes `probs` get with the thresholds of each text's script.
fn classify_by_script(
    probs: &[[f32; 3]],
    cjk: &[bool],
    thresholds: Thresholds,
    thresholds_cjk: Option<Thresholds>,
) -> Vec<Class> {
    probs
        .iter()
        .zip(cjk)
        .map(|(p, &c)| match thresholds_cjk {
            Some(t) if c => t.classify(p),
            _ => thresholds.classify(p),
        })
        .collect()
}

/// What [`out_of_fold`] needs besides the rows.
struct FoldPlan<'a> {
    /// The fitted setting, without its rows (filled in per fold).
    fit: Fit<'a>,
    class_weight_power: f32,
    folds: u32,
    runs: u32,
    seed: u64,
    /// The header of the shipped model: the fold models score through the same path.
    info: &'a ModelInfo,
    idf: &'a [u8],
}

/// Scores every training row with a model fitted, as the shipped one, on the other folds
/// only. `on_epoch` hears of each epoch of each fold's runs, with the fold's number.
fn out_of_fold(
    train: &[Example<'_>],
    plan: &FoldPlan<'_>,
    mut on_epoch: impl FnMut(u32),
) -> Result<Scored, TrainError> {
    let rows = plan.fit.rows;
    let fold: Vec<u32> = rows
        .source
        .iter()
        .map(|&i| fold_of(train[i as usize].text, plan.seed, plan.folds))
        .collect();
    let mut scored = Scored::default();
    for k in 0..plan.folds {
        let (held, fitted): (Vec<u32>, Vec<u32>) =
            (0..rows.len() as u32).partition(|&i| fold[i as usize] == k);
        if held.is_empty() || fitted.is_empty() {
            continue;
        }
        let class: Vec<u8> = fitted.iter().map(|&i| rows.class[i as usize]).collect();
        let fit = Fit {
            texts: &fitted,
            class_weight: class_weights(&class, plan.class_weight_power),
            ..plan.fit
        };
        let fold_seed = plan.seed ^ u64::from(k + 1).wrapping_mul(0xe703_7ed1_a0b4_28db);
        let mut sum = Params::new(plan.info.bits);
        for run in 0..plan.runs {
            add(
                &mut sum,
                &fit.run(plan.info.bits, run_seed(fold_seed, run), |_| on_epoch(k)),
            );
        }
        scale_down(&mut sum, plan.runs);
        let (weights, bias, scale) = quantise(&sum, plan.info.bits);
        let info = ModelInfo {
            bias,
            scale,
            ..plan.info.clone()
        };
        let model = Model::from_parts(info, weights, plan.idf.to_vec())
            .map_err(|e| TrainError::Config(format!("a fold model is inconsistent: {e}")))?;
        for &i in &held {
            let i = i as usize;
            let text = Normalised::new(train[rows.source[i] as usize].text);
            let probs = model.predict(&text).map_or([1.0, 0.0, 0.0], |p| p.probs);
            scored.push(probs, rows.class[i], rows.cjk[i], rows.set[i]);
        }
    }
    Ok(scored)
}

/// Trains a model on `train`, choosing its settings and thresholds on `dev`. `progress` is
/// called every few thousand texts.
pub fn train(
    train: &[Example<'_>],
    dev: &[Example<'_>],
    config: &TrainConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Model, TrainReport), TrainError> {
    if !(features::MIN_BITS..=features::MAX_BITS).contains(&config.bits) {
        return Err(TrainError::Config(format!(
            "bits must be between {} and {}, found {}",
            features::MIN_BITS,
            features::MAX_BITS,
            config.bits
        )));
    }
    if config.max_epochs == 0 {
        return Err(TrainError::Config("max_epochs must be at least 1".into()));
    }
    let bad = |xs: &[f32]| xs.is_empty() || xs.iter().any(|x| !x.is_finite() || *x < 0.0);
    if bad(&config.learning_rates)
        || config.learning_rates.contains(&0.0)
        || bad(&config.l2)
        || bad(&config.class_weight_powers)
    {
        return Err(TrainError::Config(
            "learning rates, L2 penalties and class-weight powers must be non-empty lists of \
             non-negative numbers (learning rates positive)"
                .into(),
        ));
    }
    let mut settings = Vec::new();
    for &lr in &config.learning_rates {
        for &l2 in &config.l2 {
            for &power in &config.class_weight_powers {
                settings.push((lr, l2, power));
            }
        }
    }
    let n_train = train.len() as u64;
    let n_dev = dev.len() as u64;
    if config.runs == 0 {
        return Err(TrainError::Config("runs must be at least 1".into()));
    }
    if config.threshold_folds == 1 || config.threshold_folds > MAX_THRESHOLD_FOLDS {
        return Err(TrainError::Config(format!(
            "threshold folds must be 0 (dev alone) or 2 to {MAX_THRESHOLD_FOLDS}, found {}",
            config.threshold_folds
        )));
    }
    let folds = u64::from(config.threshold_folds);
    // Each fold model fits (K − 1) / K of train; an upper bound, as early stopping is.
    let per_fold_epoch = n_train * folds.saturating_sub(1) / folds.max(1);
    let total = n_train
        + n_dev
        + settings.len() as u64 * u64::from(config.max_epochs) * (n_train + n_dev)
        + u64::from(config.runs - 1) * u64::from(config.max_epochs) * n_train
        + folds * u64::from(config.runs) * u64::from(config.max_epochs) * per_fold_epoch
        + n_dev;
    let mut done = 0u64;

    let idf = if config.scheme.idf {
        document_frequencies(train, config.bits, config.scheme)
    } else {
        Vec::new()
    };
    let idf_table = config.scheme.idf.then_some(idf.as_slice());
    let mut featurise_set = |texts: &[Example<'_>], done: &mut u64| {
        featurise(
            texts,
            config.bits,
            config.scheme,
            idf_table,
            progress,
            done,
            total,
        )
    };
    let (rows, scripts) = featurise_set(train, &mut done);
    if rows.len() == 0 {
        return Err(TrainError::NoTrainingData);
    }
    let mut counts = [0u64; 4];
    for &c in &rows.class {
        counts[c as usize] += 1;
    }
    if counts[0] == 0 || counts[1] + counts[2] + counts[3] == 0 {
        let only: Vec<&str> = Label::ALL
            .iter()
            .filter(|l| counts[l.code() as usize] > 0)
            .map(|l| l.as_str())
            .collect();
        return Err(TrainError::OneClass(only.join(", ")));
    }
    let examples = Label::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), counts[l.code() as usize]))
        .collect();
    let (dev_rows, _) = featurise_set(dev, &mut done);
    if dev_rows.len() == 0 {
        return Err(TrainError::NoDevData);
    }
    // A script counts as covered when at least 1 % of the training texts (and 20) are in it.
    let covered = |n: u64| n >= 20 && n * 100 >= rows.len() as u64;
    let languages = Languages {
        cjk: covered(scripts[0]),
        latin: covered(scripts[1]),
    };

    let by_script = (config.per_script_thresholds && languages.cjk && languages.latin)
        .then_some(dev_rows.cjk.as_slice());
    let dev_gold = Gold {
        class: &dev_rows.class,
        set: &dev_rows.set,
        per_set: config.per_set_score,
    };

    let mut rng = SplitMix(config.seed);
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    let mut trials = Vec::with_capacity(settings.len());
    // (trial, epoch, dev f1, dev loss, params)
    let mut best: Option<(usize, u32, f32, f32, Params)> = None;
    let mut dev_probs = vec![[0.0f32; 3]; dev_rows.len()];
    let per_epoch = n_train + n_dev;
    for (t, &(lr, l2, power)) in settings.iter().enumerate() {
        let cw = class_weights(&rows.class, power);
        let mut p = Params::new(config.bits);
        let mut opt = Optimizer::new(config.bits);
        let mut trial = Trial {
            learning_rate: lr,
            l2,
            class_weight_power: power,
            best_epoch: 0,
            dev_macro_f1: -1.0,
            dev_log_loss: f32::INFINITY,
        };
        let trial_start = done;
        for e in 1..=config.max_epochs {
            rng.shuffle(&mut order);
            let best_f1 = best.as_ref().map(|b| b.2);
            let phase = Phase::Fitting {
                trial: t,
                trials: settings.len(),
                epoch: e,
            };
            let mut seen = 0u64;
            epoch(&mut p, &mut opt, &rows, &order, lr, l2, &cw, || {
                seen += 1;
                if seen.is_multiple_of(4096) {
                    progress(&Progress {
                        phase,
                        done: done + seen,
                        total,
                        best_dev_f1: best_f1,
                    });
                }
            });
            done += per_epoch;
            let current = if config.average {
                opt.averaged(&p)
            } else {
                p.clone()
            };
            for (i, out) in dev_probs.iter_mut().enumerate() {
                let (b, v) = dev_rows.row(i);
                *out = current.probs(b, v);
            }
            let (_, _, _, f1) = tune_by_script(&dev_probs, dev_gold, by_script, 20, 0);
            let loss = log_loss(&dev_probs, &dev_rows.class);
            let better = |f1: f32, l: f32, bf1: f32, bl: f32| f1 > bf1 || (f1 == bf1 && l < bl);
            if better(f1, loss, trial.dev_macro_f1, trial.dev_log_loss) {
                trial.best_epoch = e;
                trial.dev_macro_f1 = f1;
                trial.dev_log_loss = loss;
                if best.as_ref().is_none_or(|b| better(f1, loss, b.2, b.3)) {
                    best = Some((t, e, f1, loss, current));
                }
            }
            progress(&Progress {
                phase,
                done,
                total,
                best_dev_f1: best.as_ref().map(|b| b.2),
            });
            if e >= trial.best_epoch + config.patience {
                break;
            }
        }
        done = trial_start + u64::from(config.max_epochs) * per_epoch;
        trials.push(trial);
    }
    let (chosen, best_epoch, _, _, mut params) = best.expect("at least one setting ran");
    if config.runs > 1 {
        // The chosen setting under other shuffles, for as many epochs as it took; the shipped
        // weights are the mean of every run's, which depends less on one example order.
        let (lr, l2, power) = settings[chosen];
        let cw = class_weights(&rows.class, power);
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let mut sum = params.clone();
        for run in 1..config.runs {
            let fit = Fit {
                rows: &rows,
                texts: &all,
                learning_rate: lr,
                l2,
                class_weight: cw,
                epochs: best_epoch,
                average: config.average,
            };
            let run_params = fit.run(config.bits, run_seed(config.seed, run), |e| {
                done += n_train;
                progress(&Progress {
                    phase: Phase::Fitting {
                        trial: chosen,
                        trials: settings.len(),
                        epoch: e,
                    },
                    done,
                    total,
                    best_dev_f1: Some(trials[chosen].dev_macro_f1),
                });
            });
            add(&mut sum, &run_params);
        }
        scale_down(&mut sum, config.runs);
        params = sum;
    }
    progress(&Progress {
        phase: Phase::Finishing,
        done,
        total,
        best_dev_f1: Some(trials[chosen].dev_macro_f1),
    });

    let (weights, bias, scale) = quantise(&params, config.bits);
    let (lr, l2, power) = settings[chosen];
    let info = ModelInfo {
        feature_version: features::FEATURE_VERSION,
        bits: config.bits,
        features: config.scheme,
        classes: Class::ALL.iter().map(|c| c.as_str().to_string()).collect(),
        bias,
        scale,
        thresholds: Thresholds::default(),
        thresholds_cjk: None,
        languages,
        training: TrainingInfo {
            seed: config.seed,
            epochs: best_epoch,
            learning_rate: lr,
            l2,
            class_weight_power: power,
            runs: config.runs,
            examples,
            sources: config.sources.clone(),
            dev: DevMetrics::default(),
        },
    };
    let out_of_fold = if config.threshold_folds >= 2 {
        let plan = FoldPlan {
            fit: Fit {
                rows: &rows,
                texts: &[],
                learning_rate: lr,
                l2,
                class_weight: [0.0; 4],
                epochs: best_epoch,
                average: config.average,
            },
            class_weight_power: power,
            folds: config.threshold_folds,
            runs: config.runs,
            seed: config.seed,
            info: &info,
            idf: &idf,
        };
        let fold_start = done;
        let scored = out_of_fold(train, &plan, |fold| {
            done += per_fold_epoch;
            progress(&Progress {
                phase: Phase::Folds {
                    fold,
                    folds: config.threshold_folds,
                },
                done,
                total,
                best_dev_f1: Some(trials[chosen].dev_macro_f1),
            });
        })?;
        done = fold_start
            + folds * u64::from(config.runs) * u64::from(config.max_epochs) * per_fold_epoch;
        progress(&Progress {
            phase: Phase::Finishing,
            done,
            total,
            best_dev_f1: Some(trials[chosen].dev_macro_f1),
        });
        Some(scored)
    } else {
        None
    };
    let mut model = Model::from_parts(info, weights, idf)
        .map_err(|e| TrainError::Config(format!("the trained model is inconsistent: {e}")))?;

    // Thresholds for the weights that ship, through the same path as prediction.
    let mut scored_dev = Scored::default();
    let mut g = Gather::default();
    for e in dev {
        let n = Normalised::new(e.text);
        let probs = model.predict(&n).map_or([1.0, 0.0, 0.0], |p| p.probs);
        // The same counts prediction reads to choose a text's thresholds.
        g.sparse.clear();
        g.family.clear();
        g.dense.clear();
        let cjk = features::extract_with(&n, config.bits, config.scheme, &mut g).mostly_cjk();
        scored_dev.push(probs, e.label.code(), cjk, e.set);
    }
    // Dev alone, or the out-of-fold scores with (or without) dev's: one chooser for both.
    let dev_alone = out_of_fold.is_none();
    let with_dev = dev_alone || config.threshold_dev;
    let mut pool = out_of_fold.unwrap_or_default();
    let threshold_texts = ThresholdTexts {
        out_of_fold: pool.probs.len() as u64,
        dev: if with_dev { dev.len() as u64 } else { 0 },
    };
    if with_dev {
        pool.extend(&scored_dev);
    }
    let by_script = by_script.map(|_| pool.cjk.as_slice());
    let (thresholds, thresholds_cjk, pool_metrics, _) = tune_by_script(
        &pool.probs,
        pool.gold(config.per_set_score),
        by_script,
        100,
        THRESHOLD_SMOOTHING,
    );
    // The header's dev metrics are always dev's, at the thresholds chosen.
    let dev_metrics = if dev_alone {
        pool_metrics
    } else {
        let predicted = classify_by_script(
            &scored_dev.probs,
            &scored_dev.cjk,
            thresholds,
            thresholds_cjk,
        );
        metrics(&scored_dev.gold, predicted.into_iter())
    };
    model.info.thresholds = thresholds;
    model.info.thresholds_cjk = thresholds_cjk;
    model.info.training.dev = dev_metrics.clone();
    progress(&Progress {
        phase: Phase::Finishing,
        done: total,
        total,
        best_dev_f1: Some(dev_metrics.macro_f1),
    });
    Ok((
        model,
        TrainReport {
            trials,
            chosen,
            dev: dev_metrics,
            threshold_texts,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAM: &[&str] = &[
        "are we still on for dinner tonight",
        "ok see you at the station at six",
        "can you pick up some milk on the way home",
        "happy birthday hope you have a lovely day",
        "running late, start without me",
        "thanks for the lift yesterday",
        "what time does the film start",
        "call me when you get this",
        "the meeting moved to thursday morning",
        "I left my keys at your place",
        "晚上一起吃饭吗",
        "我到楼下了你下来吧",
    ];
    const SPAM: &[&str] = &[
        "WIN a free holiday! text WIN to 80082 now",
        "free entry to our weekly prize draw text now",
        "cheap loans approved today call 0800 123 456",
        "you have won a prize claim now text YES",
        "hot singles in your area reply now",
        "50% off all pizzas this weekend only order now",
    ];
    const SCAM: &[&str] = &[
        "your bank account is suspended verify at http://bank-secure.top now",
        "USPS: your parcel is held, pay the fee at usps-redelivery.xyz",
        "your apple id is locked, confirm your password at appleid-verify.com",
        "HMRC: you are owed a tax refund, claim at hmrc-refund.info",
        "your netflix payment failed update your card at netflix-billing.top",
        "mum my phone broke this is my new number please send money",
    ];

    fn examples() -> Vec<Example<'static>> {
        let mut v = Vec::new();
        for (set, label) in [(HAM, Label::Ham), (SPAM, Label::Spam), (SCAM, Label::Scam)] {
            for t in set {
                v.push(Example {
                    text: t,
                    label,
                    set: 0,
                });
            }
        }
        v
    }

    fn small_config(seed: u64) -> TrainConfig {
        TrainConfig {
            seed,
            bits: 16,
            max_epochs: 4,
            patience: 2,
            l2: vec![1e-5],
            class_weight_powers: vec![1.0],
            ..TrainConfig::default()
        }
    }

    #[test]
    fn training_is_deterministic_for_a_seed() {
        let ex = examples();
        let mut calls = 0;
        let (a, _) = train(&ex, &ex, &small_config(7), &mut |_| calls += 1).unwrap();
        let (b, _) = train(&ex, &ex, &small_config(7), &mut |_| {}).unwrap();
        assert_eq!(a.to_bytes(), b.to_bytes(), "same seed, same bytes");
        assert!(calls > 0, "progress is reported");
        let (c, _) = train(&ex, &ex, &small_config(8), &mut |_| {}).unwrap();
        assert_ne!(
            a.to_bytes(),
            c.to_bytes(),
            "another seed shuffles differently"
        );
    }

    /// Trains on the examples with `config` and checks what every trained model must do: fit
    /// them, score a scam above a greeting, and read back byte for byte.
    fn trains_learns_and_reads_back(config: &TrainConfig) -> Model {
        let ex = examples();
        let (m, report) = train(&ex, &ex, config, &mut |_| {}).unwrap();
        assert!(report.dev.macro_f1 > 0.8, "{:?}", report.dev);
        let scam = m
            .predict_text("your bank account is suspended, verify now at bank-secure.top")
            .unwrap();
        let ham = m.predict_text("see you at dinner tonight").unwrap();
        assert!(scam.prob(Class::Scam) > ham.prob(Class::Scam));
        assert_eq!(Model::from_bytes(&m.to_bytes()).unwrap(), m);
        m
    }

    #[test]
    fn a_trained_model_learns_its_examples() {
        let m = trains_learns_and_reads_back(&small_config(1));
        assert!(m.info().languages.latin);
    }

    #[test]
    fn a_model_with_families_scaled_apart_learns_and_reads_back() {
        let ex = examples();
        let mut config = small_config(1);
        config.scheme.norm = features::Norm::Families;
        let m = trains_learns_and_reads_back(&config);
        assert_eq!(m.info().features.norm, features::Norm::Families);
        // With sublinear counts and IDF too (scikit-learn's weighting, family by family).
        config.scheme.tf = features::Tf::Log;
        config.scheme.idf = true;
        let (m, report) = train(&ex, &ex, &config, &mut |_| {}).unwrap();
        assert!(report.dev.macro_f1 > 0.8, "{:?}", report.dev);
        assert_eq!(Model::from_bytes(&m.to_bytes()).unwrap(), m);
    }

    #[test]
    fn an_idf_model_learns_its_examples_and_stores_its_table() {
        let ex = examples();
        let mut config = small_config(1);
        config.scheme.idf = true;
        let (m, report) = train(&ex, &ex, &config, &mut |_| {}).unwrap();
        assert!(report.dev.macro_f1 > 0.8, "{:?}", report.dev);
        // "your" is in several texts, "netflix" in one: the rarer word weighs more.
        let bucket = |w: &str| {
            let mut g = Gather::default();
            let n = Normalised::new(w);
            features::extract_with(&n, config.bits, config.scheme, &mut g);
            g.sparse[0] as usize
        };
        let idf = m.idf().unwrap();
        assert!(idf[bucket("netflix")] > idf[bucket("your")], "{idf:?}");
        let scam = m
            .predict_text("your bank account is suspended, verify now at bank-secure.top")
            .unwrap();
        let ham = m.predict_text("see you at dinner tonight").unwrap();
        assert!(scam.prob(Class::Scam) > ham.prob(Class::Scam));
        let bytes = m.to_bytes();
        assert_eq!(bytes[8..12], 3u32.to_le_bytes());
        assert_eq!(Model::from_bytes(&bytes).unwrap(), m);
    }

    #[test]
    fn each_script_gets_thresholds_that_fit_its_scores() {
        // Latin texts: unwanted scores 0.6, ham 0.3. Chinese texts: unwanted 0.9, ham 0.7,
        // so no single threshold separates both.
        let probs = [
            [0.4, 0.0, 0.6],
            [0.7, 0.0, 0.3],
            [0.1, 0.0, 0.9],
            [0.3, 0.0, 0.7],
        ];
        let gold = Gold {
            class: &[2u8, 0, 2, 0],
            set: &[0, 0, 1, 1],
            per_set: true,
        };
        let cjk = [false, false, true, true];
        let (one, none, pooled, _) = tune_by_script(&probs, gold, None, 100, 0);
        assert!(none.is_none());
        assert!(pooled.macro_f1 < 1.0, "{one:?} {pooled:?}");
        let (latin, zh, split, score) = tune_by_script(&probs, gold, Some(&cjk), 100, 0);
        let zh = zh.expect("Chinese thresholds");
        assert!(latin.scam > 0.3 && latin.scam <= 0.6, "{latin:?}");
        assert!(zh.scam > 0.7 && zh.scam <= 0.9, "{zh:?}");
        assert_eq!(split.macro_f1, 1.0, "{split:?}");
        assert_eq!(score, 1.0);
        // A script without ham and unwanted on dev keeps one pair for all.
        let (_, none, _, _) =
            tune_by_script(&probs, gold, Some(&[false, false, true, false]), 100, 0);
        assert!(none.is_none());
    }

    #[test]
    fn the_dev_score_averages_sets() {
        // Set 0 (three texts) is perfect, set 1 (one scam missed) scores 0; pooled, the
        // larger set outweighs the smaller (0.8).
        let gold = [2u8, 0, 2, 2];
        let predicted = [Class::Scam, Class::Ham, Class::Scam, Class::Ham];
        let per_set = Gold {
            class: &gold,
            set: &[0, 0, 0, 1],
            per_set: true,
        };
        assert_eq!(per_set.groups().len(), 2);
        assert_eq!(score(&gold, &per_set.groups(), &predicted), 0.5);
        let pooled = Gold {
            per_set: false,
            ..per_set
        };
        // Pooled: 2 of 3 scams found, none wrongly, so F1 0.8 for unwanted and for scam.
        assert!((score(&gold, &pooled.groups(), &predicted) - 0.8).abs() < 1e-6);
        // A set with ham alone has no F1 of its own: its texts join every other set's.
        let ham_only = Gold {
            class: &[2, 0, 0, 3],
            set: &[0, 0, 1, 2],
            per_set: true,
        };
        assert_eq!(ham_only.groups(), vec![vec![0, 1, 2], vec![3, 2]]);
    }

    #[test]
    fn a_two_script_model_stores_chinese_thresholds_and_applies_them() {
        let mut ex = examples();
        let zh_ham = [
            "明天下午三点开会",
            "周末一起去爬山吧",
            "你到家了吗",
            "晚饭做好了快回来",
        ];
        let zh_scam = [
            "您的银行卡已冻结请立即转账到安全账户",
            "我是公安局民警你涉嫌洗钱请配合调查",
            "恭喜中奖请先缴纳手续费领取奖金",
            "客服退款需要您提供验证码",
        ];
        // Enough Chinese texts (20) for the model to count the script as covered.
        let variants = |texts: [&str; 4]| -> Vec<String> {
            ["", "，好吗", "，谢谢", "，收到请回复", "。"]
                .iter()
                .flat_map(|end| texts.iter().map(move |t| format!("{t}{end}")))
                .collect()
        };
        let (zh_ham, zh_scam) = (variants(zh_ham), variants(zh_scam));
        for t in &zh_ham {
            ex.push(Example {
                text: t,
                label: Label::Ham,
                set: 1,
            });
        }
        for t in &zh_scam {
            ex.push(Example {
                text: t,
                label: Label::Scam,
                set: 1,
            });
        }
        let (m, _) = train(&ex, &ex, &small_config(1), &mut |_| {}).unwrap();
        let zh = m.info().thresholds_cjk.expect("Chinese thresholds");
        let p = m.predict_text("我是公安局民警请转账到安全账户").unwrap();
        assert_eq!(p.thresholds, zh);
        let p = m.predict_text("your bank account is suspended").unwrap();
        assert_eq!(p.thresholds, m.thresholds());
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.info().thresholds_cjk, Some(zh));
        let mut one = small_config(1);
        one.per_script_thresholds = false;
        let (m, _) = train(&ex, &ex, &one, &mut |_| {}).unwrap();
        assert!(m.info().thresholds_cjk.is_none());
    }

    #[test]
    fn thresholds_from_folds_score_every_train_text_once() {
        let ex = examples();
        let dev = &ex[..12];
        let mut config = small_config(5);
        config.threshold_folds = 3;
        let (a, report) = train(&ex, dev, &config, &mut |_| {}).unwrap();
        assert_eq!(
            report.threshold_texts,
            ThresholdTexts {
                out_of_fold: ex.len() as u64,
                dev: dev.len() as u64,
            }
        );
        assert_eq!(
            report.dev.records,
            dev.len() as u64,
            "dev is still reported"
        );
        let (b, _) = train(&ex, dev, &config, &mut |_| {}).unwrap();
        assert_eq!(a.to_bytes(), b.to_bytes(), "same seed, same bytes");
        // The weights are those of training without folds; only the thresholds may move.
        let (plain, plain_report) = train(&ex, dev, &small_config(5), &mut |_| {}).unwrap();
        assert_eq!(plain_report.threshold_texts.out_of_fold, 0);
        assert_eq!(a.weights, plain.weights);
        let scam = a.predict_text("your apple id is locked, confirm your password now");
        assert!(scam.unwrap().prob(Class::Scam) > 0.3);

        config.threshold_dev = false;
        let mut phases = Vec::new();
        let (_, report) = train(&ex, dev, &config, &mut |p| phases.push(p.phase)).unwrap();
        assert_eq!(report.threshold_texts.dev, 0);
        assert_eq!(report.threshold_texts.out_of_fold, ex.len() as u64);
        for fold in 0..3 {
            assert!(
                phases.contains(&Phase::Folds { fold, folds: 3 }),
                "progress names fold {fold}: {phases:?}"
            );
        }
    }

    #[test]
    fn folds_split_texts_by_content_and_seed() {
        let texts: Vec<String> = (0..3000).map(|i| format!("message number {i}")).collect();
        let mut sizes = [0u32; 5];
        for t in &texts {
            let k = fold_of(t, 1, 5);
            assert_eq!(k, fold_of(t, 1, 5), "a text keeps its fold");
            sizes[k as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (500..700).contains(&n)), "{sizes:?}");
        let moved = texts
            .iter()
            .filter(|t| fold_of(t, 1, 5) != fold_of(t, 2, 5))
            .count();
        assert!(moved > 1000, "another seed draws other folds: {moved}");
    }

    #[test]
    fn bad_inputs_are_typed_errors() {
        let ex = examples();
        assert_eq!(
            train(&[], &ex, &small_config(1), &mut |_| {}).unwrap_err(),
            TrainError::NoTrainingData
        );
        assert_eq!(
            train(&ex, &[], &small_config(1), &mut |_| {}).unwrap_err(),
            TrainError::NoDevData
        );
        let hams: Vec<Example> = ex
            .iter()
            .copied()
            .filter(|e| e.label == Label::Ham)
            .collect();
        assert!(matches!(
            train(&hams, &ex, &small_config(1), &mut |_| {}),
            Err(TrainError::OneClass(_))
        ));
        let mut cfg = small_config(1);
        cfg.bits = 40;
        assert!(matches!(
            train(&ex, &ex, &cfg, &mut |_| {}),
            Err(TrainError::Config(_))
        ));
        for folds in [1, 21] {
            let mut cfg = small_config(1);
            cfg.threshold_folds = folds;
            assert!(matches!(
                train(&ex, &ex, &cfg, &mut |_| {}),
                Err(TrainError::Config(m)) if m.contains("threshold folds")
            ));
        }
    }

    #[test]
    fn class_weights_balance_the_classes() {
        let rows = Rows {
            class: vec![0, 0, 0, 0, 0, 0, 2, 2],
            ..Rows::default()
        };
        let w = class_weights(&rows.class, 1.0);
        assert!((w[0] * 6.0 - w[2] * 2.0).abs() < 1e-5, "{w:?}");
        let w = class_weights(&rows.class, 0.0);
        assert_eq!(
            w,
            [1.0, 0.0, 1.0, 0.0],
            "labels that are absent weigh nothing"
        );
    }

    #[test]
    fn unwanted_labels_teach_ham_against_the_rest() {
        let mut ex = examples();
        for e in ex.iter_mut().filter(|e| e.label == Label::Spam) {
            e.label = Label::Unwanted;
        }
        let (m, report) = train(&ex, &ex, &small_config(3), &mut |_| {}).unwrap();
        assert!(report.dev.classes.contains_key("unwanted"));
        let p = m
            .predict_text("WIN a free holiday! text WIN to 80082 now")
            .unwrap();
        assert!(p.prob(Class::Ham) < 0.5, "{p:?}");
    }

    #[test]
    fn metrics_measure_unwanted_on_every_text() {
        let m = metrics(
            &[0, 3, 2, 1],
            [Class::Ham, Class::Scam, Class::Scam, Class::Scam].into_iter(),
        );
        assert_eq!(m.classes["unwanted"].f1, 1.0);
        assert_eq!(m.classes["scam"].precision, 0.5);
        assert_eq!(m.classes["spam"].recall, 0.0);
    }

    #[test]
    fn tuning_prefers_high_thresholds_on_ties() {
        let probs = [[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]];
        let gold = Gold {
            class: &[0, 2],
            set: &[0, 0],
            per_set: true,
        };
        let (t, m) = tune(&probs, gold, 10, 0);
        assert_eq!(m.macro_f1, 1.0);
        assert!((t.scam - 0.8).abs() < 1e-6, "{t:?}");
    }
}
