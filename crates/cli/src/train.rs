//! `scamguard train`: fits a text classifier on labelled JSON Lines datasets and writes a
//! model file for `--model`.

use crate::eval::{dataset_files, read_records};
use anyhow::{bail, Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use scamguard_core::eval::Kind;
use scamguard_core::model::{self, Class, Example, Label, Phase, SourceInfo, TrainConfig};
use scamguard_core::text::Normalised;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Dataset files (JSON Lines) or directories: records with split "train" are fitted, those
    /// with split "dev" choose the settings and thresholds. "test" records are never read.
    #[arg(value_name = "DATASET", required = true)]
    pub paths: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Seed of the shuffles: the same data, options and seed give the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A further dataset whose dev split helps choose settings but whose train split is not
    /// fitted (repeatable): e.g. a large ham-only set that keeps the thresholds honest.
    #[arg(long = "dev-from", value_name = "PATH")]
    pub dev_from: Vec<PathBuf>,
    /// log2 of the number of hash buckets (16–24); the file holds 2 bytes per bucket (3 with
    /// `--idf`). 20 (2 MiB) keeps Chinese and English n-grams of several datasets from sharing
    /// buckets: on the dev splits of five sets it gained 2–16 points of F1 per set over 18.
    #[arg(long, default_value_t = 20)]
    pub bits: u32,
    /// How an n-gram repeated in a text counts: raw (each occurrence), log (1 + ln count,
    /// as scikit-learn's sublinear tf) or binary (presence); the text's vector is then scaled
    /// to unit length. Recorded in the model file.
    #[arg(long, value_enum, default_value_t = TfArg::Raw)]
    pub tf: TfArg,
    /// What each text's vector is scaled to unit length over: the whole text, or each
    /// family of n-grams apart (word unigrams and bigrams; character n-grams of words;
    /// ideograph n-grams), as scikit-learn's union of a word and a character vectoriser
    /// weighs them (with `--tf log --idf`, its sublinear tf times IDF too). Recorded in the model
    /// file (`families`: format 4, which builds from before refuse).
    #[arg(long, value_enum, default_value_t = NormArg::Text)]
    pub norm: NormArg,
    /// Digits in words and their character n-grams: keep them as written ("*141#" and
    /// "*786#" stay apart), or fold every digit to 0 (the scheme of models before
    /// 2026-12-07, the shipped one included). Recorded in the model file.
    #[arg(long, value_enum, default_value_t = DigitsArg::Keep)]
    pub digits: DigitsArg,
    /// Weigh each n-gram by its inverse document frequency in the train texts (as
    /// scikit-learn's TF-IDF) before the text's vector is scaled to unit length; the IDF of
    /// each bucket is stored in the model file (format 3).
    #[arg(long)]
    pub idf: bool,
    /// Most epochs per setting.
    #[arg(long, default_value_t = 12)]
    pub epochs: u32,
    /// Epochs without dev improvement before a setting stops.
    #[arg(long, default_value_t = 3)]
    pub patience: u32,
    /// AdaGrad learning rates to try, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = vec![0.1f32])]
    pub learning_rate: Vec<f32>,
    /// L2 penalties to try, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1e-6f32, 1e-5, 1e-4])]
    pub l2: Vec<f32>,
    /// Class-weight powers to try, comma-separated (0: unweighted, 1: balanced).
    #[arg(long, value_delimiter = ',', default_values_t = vec![0.5f32, 1.0])]
    pub class_weight_power: Vec<f32>,
    /// Ship the last weights instead of the weights averaged over every step.
    #[arg(long)]
    pub no_average: bool,
    /// Fit the chosen setting this many times under different shuffles and ship the mean of
    /// their weights (1: the chosen run alone). Three runs made the dev figures steadier from
    /// seed to seed and no set worse.
    #[arg(long, default_value_t = 3)]
    pub runs: u32,
    /// One pair of thresholds for every text, even when the model reads Chinese and other
    /// scripts (by default each gets its own, tuned on its dev texts).
    #[arg(long)]
    pub one_threshold: bool,
    /// Choose settings and thresholds by the macro-F1 of every dev text pooled, instead of
    /// the mean of each dataset's own (by default each file counts the same, as each is
    /// judged on its own).
    #[arg(long)]
    pub pooled_score: bool,
    /// Choose the thresholds on out-of-fold scores of train as well as on dev: the chosen
    /// setting is fitted K more times, each on all folds of train but one, and scores the
    /// fold it did not see (0: thresholds on dev alone).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub threshold_folds: u32,
    /// With `--threshold-folds`, tune the thresholds on the out-of-fold scores alone,
    /// leaving dev out.
    #[arg(long)]
    pub threshold_folds_only: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// `--tf`: see [`model::features::Tf`].
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfArg {
    /// Each occurrence counts 1 (the first models' scheme).
    Raw,
    /// 1 + ln(count).
    Log,
    /// 1 if present.
    Binary,
}

impl From<TfArg> for model::features::Tf {
    fn from(t: TfArg) -> Self {
        match t {
            TfArg::Raw => model::features::Tf::Raw,
            TfArg::Log => model::features::Tf::Log,
            TfArg::Binary => model::features::Tf::Binary,
        }
    }
}

/// `--norm`: see [`model::features::Norm`].
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormArg {
    /// The whole text's vector.
    Text,
    /// Each family of n-grams apart.
    Families,
}

impl From<NormArg> for model::features::Norm {
    fn from(n: NormArg) -> Self {
        match n {
            NormArg::Text => model::features::Norm::Text,
            NormArg::Families => model::features::Norm::Families,
        }
    }
}

/// `--digits`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigitsArg {
    /// As written.
    Keep,
    /// Every ASCII digit read as 0.
    Fold,
}

/// A labelled text kept in memory until training ends.
struct Owned {
    text: String,
    label: Label,
    /// Index of the file it came from.
    set: u32,
}

/// The training label of a dataset record, or `None` for records a text model does not learn
/// (URLs and domains). In a file without any scam record, "spam" means only "unwanted": the
/// set did not tell scams apart.
fn label_of(r: &scamguard_core::eval::Record, file_has_scam: bool) -> Option<Label> {
    if r.kind() != Kind::Messages {
        return None;
    }
    Some(match Class::parse(r.class())? {
        Class::Spam if !file_has_scam => Label::Unwanted,
        c => Label::from(c),
    })
}

/// Keeps one copy of each text (compared after normalisation) and returns how many copies
/// were dropped. Datasets overlap (the Mendeley set re-labels UCI spam as smishing), and a text
/// seen twice with two labels would teach the model to contradict itself: the copy kept has
/// the most specific label (scam, then spam, then unwanted, then ham).
fn merge_duplicates(items: &mut Vec<Owned>) -> usize {
    let before = items.len();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut kept: Vec<Owned> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let key = Normalised::new(&item.text).words;
        match seen.get(&key) {
            Some(&i) => {
                if item.label > kept[i].label {
                    kept[i].label = item.label;
                }
            }
            None => {
                seen.insert(key, kept.len());
                kept.push(item);
            }
        }
    }
    let dropped = before - kept.len();
    *items = kept;
    dropped
}

fn examples(v: &[Owned]) -> Vec<Example<'_>> {
    v.iter()
        .map(|o| Example {
            text: &o.text,
            label: o.label,
            set: o.set,
        })
        .collect()
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    let files = dataset_files(&args.paths)?;
    if files.is_empty() {
        bail!("no .jsonl files found under {:?}", args.paths);
    }
    let dev_files = if args.dev_from.is_empty() {
        Vec::new()
    } else {
        dataset_files(&args.dev_from)?
    };
    let (mut train, mut dev) = (Vec::new(), Vec::new());
    let mut sources = Vec::new();
    for (set, (file, fit)) in files
        .iter()
        .map(|f| (f, true))
        .chain(dev_files.iter().map(|f| (f, false)))
        .enumerate()
    {
        let mut info = SourceInfo {
            name: file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            ..SourceInfo::default()
        };
        let records = read_records(file, "all", 0)?;
        let has_scam = records
            .iter()
            .any(|r| r.kind() == Kind::Messages && r.class() == "scam");
        for r in records {
            let Some(label) = label_of(&r, has_scam) else {
                continue;
            };
            let item = Owned {
                text: r.text,
                label,
                set: set as u32,
            };
            match r.split.as_str() {
                "train" if fit => {
                    info.train += 1;
                    train.push(item);
                }
                "dev" => {
                    info.dev += 1;
                    dev.push(item);
                }
                _ => {}
            }
        }
        sources.push(info);
    }
    let (train_dups, dev_dups) = (merge_duplicates(&mut train), merge_duplicates(&mut dev));
    if !args.quiet && train_dups + dev_dups > 0 {
        eprintln!(
            "merged {train_dups} duplicate train texts and {dev_dups} duplicate dev texts \
             (a text labelled differently by two datasets keeps the most specific label)"
        );
    }
    let config = TrainConfig {
        seed: args.seed,
        bits: args.bits,
        scheme: model::features::Scheme {
            tf: args.tf.into(),
            keep_digits: args.digits == DigitsArg::Keep,
            idf: args.idf,
            norm: args.norm.into(),
        },
        max_epochs: args.epochs,
        patience: args.patience,
        learning_rates: args.learning_rate.clone(),
        l2: args.l2.clone(),
        class_weight_powers: args.class_weight_power.clone(),
        average: !args.no_average,
        runs: args.runs,
        per_script_thresholds: !args.one_threshold,
        per_set_score: !args.pooled_score,
        threshold_folds: args.threshold_folds,
        threshold_dev: !args.threshold_folds_only,
        sources,
    };
    let (train_ex, dev_ex) = (examples(&train), examples(&dev));
    if !args.quiet {
        eprintln!(
            "training on {} texts, choosing settings on {} dev texts",
            train_ex.len(),
            dev_ex.len()
        );
    }

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(1);
        b.set_style(
            ProgressStyle::with_template("{msg:<40} [{bar:30}] {percent:>3}% {elapsed} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b
    };
    let started = std::time::Instant::now();
    let (model, report) = model::train(&train_ex, &dev_ex, &config, &mut |p| {
        bar.set_length(p.total);
        bar.set_position(p.done);
        let best = p
            .best_dev_f1
            .map_or(String::new(), |f| format!(" best dev F1 {:.4}", f));
        bar.set_message(match p.phase {
            Phase::Features => "hashing features".to_string(),
            Phase::Fitting {
                trial,
                trials,
                epoch,
            } => format!("setting {}/{trials} epoch {epoch}{best}", trial + 1),
            Phase::Folds { fold, folds } => {
                format!("threshold fold {}/{folds}{best}", fold + 1)
            }
            Phase::Finishing => format!("quantising, tuning thresholds{best}"),
        });
    })
    .context("training failed")?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let bytes = model.to_bytes();
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;

    let info = model.info();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "out": args.out,
                "bytes": bytes.len(),
                "seconds": elapsed,
                "trials": report.trials,
                "chosen": report.chosen,
                "thresholds": info.thresholds,
                "thresholds_cjk": info.thresholds_cjk,
                "languages": info.languages,
                "threshold_texts": report.threshold_texts,
                "dev": report.dev,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("| setting | learning rate | L2 | class-weight power | best epoch | dev macro-F1 | dev log-loss |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for (i, t) in report.trials.iter().enumerate() {
        println!(
            "| {}{} | {} | {:e} | {} | {} | {:.4} | {:.4} |",
            i + 1,
            if i == report.chosen { " (chosen)" } else { "" },
            t.learning_rate,
            t.l2,
            t.class_weight_power,
            t.best_epoch,
            t.dev_macro_f1,
            t.dev_log_loss
        );
    }
    println!();
    let chinese = info.thresholds_cjk.map_or(String::new(), |t| {
        format!(" (Chinese texts: scam {:.2} spam {:.2})", t.scam, t.spam)
    });
    let tuned = report.threshold_texts;
    println!(
        "thresholds tuned on {} out-of-fold train texts and {} dev texts",
        tuned.out_of_fold, tuned.dev
    );
    println!(
        "dev ({} texts), quantised model, thresholds scam {:.2} spam {:.2}{chinese}:",
        report.dev.records, info.thresholds.scam, info.thresholds.spam
    );
    println!("| class | support | precision | recall | F1 |");
    println!("|---|---:|---:|---:|---:|");
    for (c, m) in &report.dev.classes {
        println!(
            "| {c} | {} | {:.2} | {:.2} | {:.2} |",
            m.support,
            m.precision * 100.0,
            m.recall * 100.0,
            m.f1 * 100.0
        );
    }
    println!(
        "\nmacro-F1 {:.2}; ham flagged {:.2} %; languages: cjk {}, latin {}",
        report.dev.macro_f1 * 100.0,
        report.dev.ham_flagged * 100.0,
        info.languages.cjk,
        info.languages.latin
    );
    println!(
        "wrote {} ({} bytes) in {:.1} s",
        args.out.display(),
        bytes.len(),
        elapsed
    );
    Ok(ExitCode::SUCCESS)
}
