//! Conditions over signals: `claims_authority & (screen_share_requested | g:script) & !verified_caller`.
//!
//! The grammar is small on purpose: signal codes, `g:GROUP` (any signal of a detector family
//! or policy group), `!`, `&`, `|` and parentheses, with `!` binding tightest and `&` before `|`.

use crate::signal::CodeBits;
use std::fmt;

/// How deeply parentheses and `!` may nest in one condition. Real policies need three or four
/// levels; the bound keeps parsing, compiling, evaluating and dropping a condition within a
/// small, fixed stack however the policy was written (a policy can arrive over the API).
pub const MAX_DEPTH: usize = 64;

/// A parsed condition. `&` and `|` chains are flat lists, so only parentheses and `!` nest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A signal code is present.
    Signal(String),
    /// Any signal of a group is present.
    Group(String),
    /// Negation.
    Not(Box<Expr>),
    /// Every operand holds.
    And(Vec<Expr>),
    /// At least one operand holds.
    Or(Vec<Expr>),
}

impl Expr {
    /// Parses `text`, saying where it went wrong; nesting deeper than [`MAX_DEPTH`] is refused.
    pub fn parse(text: &str) -> Result<Expr, String> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err("empty condition".into());
        }
        let mut p = Parser {
            tokens,
            pos: 0,
            depth: 0,
        };
        let e = p.or()?;
        if p.pos != p.tokens.len() {
            return Err(format!(
                "unexpected {} after a complete condition",
                p.tokens[p.pos]
            ));
        }
        Ok(e)
    }

    /// Evaluates with `has_signal` and `has_group` answering the leaves.
    pub fn eval(
        &self,
        has_signal: &dyn Fn(&str) -> bool,
        has_group: &dyn Fn(&str) -> bool,
    ) -> bool {
        match self {
            Expr::Signal(s) => has_signal(s),
            Expr::Group(g) => has_group(g),
            Expr::Not(e) => !e.eval(has_signal, has_group),
            Expr::And(all) => all.iter().all(|e| e.eval(has_signal, has_group)),
            Expr::Or(any) => any.iter().any(|e| e.eval(has_signal, has_group)),
        }
    }

    /// Every signal code and group named, for validation.
    pub fn names(&self, signals: &mut Vec<String>, groups: &mut Vec<String>) {
        match self {
            Expr::Signal(s) => signals.push(s.clone()),
            Expr::Group(g) => groups.push(g.clone()),
            Expr::Not(e) => e.names(signals, groups),
            Expr::And(list) | Expr::Or(list) => {
                for e in list {
                    e.names(signals, groups);
                }
            }
        }
    }
}

/// A condition resolved to code indices and group masks, evaluated on [`CodeBits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compiled {
    /// The code at this index is present.
    Signal(usize),
    /// Any code of the mask is present.
    Any(CodeBits),
    /// Negation.
    Not(Box<Compiled>),
    /// Every operand holds.
    And(Vec<Compiled>),
    /// At least one operand holds.
    Or(Vec<Compiled>),
}

impl Compiled {
    /// Evaluates against the codes present.
    pub fn eval(&self, present: &CodeBits) -> bool {
        match self {
            Compiled::Signal(i) => present.contains(*i),
            Compiled::Any(mask) => present.intersects(mask),
            Compiled::Not(e) => !e.eval(present),
            Compiled::And(all) => all.iter().all(|e| e.eval(present)),
            Compiled::Or(any) => any.iter().any(|e| e.eval(present)),
        }
    }
}

impl Expr {
    /// Resolves names to indices and masks; `None` if a name is unknown.
    pub fn compile(
        &self,
        signal: &dyn Fn(&str) -> Option<usize>,
        group: &dyn Fn(&str) -> Option<CodeBits>,
    ) -> Option<Compiled> {
        let list = |l: &[Expr]| -> Option<Vec<Compiled>> {
            l.iter().map(|e| e.compile(signal, group)).collect()
        };
        Some(match self {
            Expr::Signal(s) => Compiled::Signal(signal(s)?),
            Expr::Group(g) => Compiled::Any(group(g)?),
            Expr::Not(e) => Compiled::Not(Box::new(e.compile(signal, group)?)),
            Expr::And(all) => Compiled::And(list(all)?),
            Expr::Or(any) => Compiled::Or(list(any)?),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Not,
    And,
    Or,
    Open,
    Close,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Ident(s) => write!(f, "{s:?}"),
            Token::Not => f.write_str("'!'"),
            Token::And => f.write_str("'&'"),
            Token::Or => f.write_str("'|'"),
            Token::Open => f.write_str("'('"),
            Token::Close => f.write_str("')'"),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '!' => out.push(Token::Not),
            '&' => out.push(Token::And),
            '|' => out.push(Token::Or),
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            c if c.is_ascii_lowercase() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = chars.peek() {
                    if n.is_ascii_lowercase() || n.is_ascii_digit() || n == '_' || n == ':' {
                        end = j + n.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Ident(text[i..end].to_string()));
            }
            other => return Err(format!("unexpected character {other:?} at position {i}")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Parentheses and `!` open around the current position.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut any = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            any.push(self.and()?);
        }
        Ok(if any.len() == 1 {
            any.pop().expect("one operand")
        } else {
            Expr::Or(any)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut all = vec![self.unary()?];
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            all.push(self.unary()?);
        }
        Ok(if all.len() == 1 {
            all.pop().expect("one operand")
        } else {
            Expr::And(all)
        })
    }

    /// Enters one level of nesting, refusing to go past [`MAX_DEPTH`].
    fn nest<T>(&mut self, inner: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.depth == MAX_DEPTH {
            return Err(format!(
                "conditions nest at most {MAX_DEPTH} deep (parentheses and '!'); this one goes deeper at token {}",
                self.pos
            ));
        }
        self.depth += 1;
        let out = inner(self);
        self.depth -= 1;
        out
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match tok {
            Some(Token::Not) => self.nest(|p| Ok(Expr::Not(Box::new(p.unary()?)))),
            Some(Token::Open) => self.nest(|p| {
                let e = p.or()?;
                if p.peek() != Some(&Token::Close) {
                    return Err("missing ')'".into());
                }
                p.pos += 1;
                Ok(e)
            }),
            Some(Token::Ident(name)) => match name.strip_prefix("g:") {
                Some(g) if !g.is_empty() => Ok(Expr::Group(g.to_string())),
                Some(_) => Err("'g:' needs a group name".into()),
                None if name.contains(':') => {
                    Err(format!("unknown prefix in {name:?}; only 'g:' is known"))
                }
                None => Ok(Expr::Signal(name)),
            },
            Some(other) => Err(format!(
                "expected a signal code, '!' or '(' but found {other}"
            )),
            None => Err("the condition ends too early".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(e: &str, present: &[&str]) -> bool {
        let e = Expr::parse(e).unwrap();
        e.eval(&|s| present.contains(&s), &|g| {
            present.iter().any(|s| s.starts_with(g))
        })
    }

    #[test]
    fn precedence_and_grouping() {
        assert!(eval("a & b | c", &["c"]));
        assert!(!eval("a & (b | c)", &["c"]));
        assert!(eval("a & !b", &["a"]));
        assert!(!eval("a & !b", &["a", "b"]));
        assert!(eval("!!a", &["a"]));
        assert!(eval("g:script", &["script_secrecy"]));
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(Expr::parse("").unwrap_err().contains("empty"));
        assert!(Expr::parse("a &").unwrap_err().contains("ends too early"));
        assert!(Expr::parse("(a | b").unwrap_err().contains("missing ')'"));
        assert!(Expr::parse("a b").unwrap_err().contains("unexpected"));
        assert!(Expr::parse("a + b").unwrap_err().contains("'+'"));
        assert!(Expr::parse("x:y").unwrap_err().contains("prefix"));
        let mut s = Vec::new();
        let mut g = Vec::new();
        Expr::parse("a & (g:links | !b)")
            .unwrap()
            .names(&mut s, &mut g);
        assert_eq!(s, vec!["a", "b"]);
        assert_eq!(g, vec!["links"]);
    }

    #[test]
    fn chains_are_flat() {
        let e = Expr::parse("a & b & c | d | !e").unwrap();
        let Expr::Or(any) = &e else { panic!("{e:?}") };
        assert_eq!(any.len(), 3);
        assert!(matches!(&any[0], Expr::And(all) if all.len() == 3));
        // A long chain is wide, not deep: no recursion grows with its length.
        let wide = vec!["a"; 100_000].join(" | ");
        assert!(matches!(Expr::parse(&wide).unwrap(), Expr::Or(v) if v.len() == 100_000));
    }

    #[test]
    fn deep_nesting_is_refused_with_a_clear_error() {
        for deep in [
            format!("{}a{}", "(".repeat(5000), ")".repeat(5000)),
            format!("{}a", "!".repeat(5000)),
            format!("{}a{}", "!(".repeat(2500), ")".repeat(2500)),
        ] {
            let err = Expr::parse(&deep).unwrap_err();
            assert!(err.contains(&format!("at most {MAX_DEPTH} deep")), "{err}");
        }
        let at_limit = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert!(eval(&at_limit, &["a"]));
        let over = format!(
            "{}a{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        assert!(Expr::parse(&over).is_err());
    }

    /// The deepest condition the parser accepts is parsed, compiled, evaluated and dropped on a
    /// 256 KiB stack in a debug build (an eighth of the 2 MiB that Rust and tokio give a thread).
    #[test]
    fn the_deepest_accepted_condition_fits_a_small_stack() {
        let text = format!(
            "{}a & b | c{}",
            "!(".repeat(MAX_DEPTH / 2),
            ")".repeat(MAX_DEPTH / 2)
        );
        let ok = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let e = Expr::parse(&text).unwrap();
                let c = e
                    .compile(&|s| ["a", "b", "c"].iter().position(|x| *x == s), &|_| None)
                    .unwrap();
                let mut bits = CodeBits::default();
                bits.insert(2);
                (e.eval(&|s| s == "c", &|_| false), c.eval(&bits))
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(
            ok,
            (true, true),
            "an even number of '!' around a true condition"
        );
    }
}
