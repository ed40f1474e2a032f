//! Conditions over signals: `claims_authority & (screen_share_requested | g:script) & !verified_caller`.
//!
//! The grammar is small on purpose: signal codes, `g:GROUP` (any signal of a detector family
//! or policy group), `!`, `&`, `|` and parentheses, with `!` binding tightest and `&` before `|`.

use crate::signal::CodeBits;
use std::fmt;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A signal code is present.
    Signal(String),
    /// Any signal of a group is present.
    Group(String),
    /// Negation.
    Not(Box<Expr>),
    /// Both hold.
    And(Box<Expr>, Box<Expr>),
    /// Either holds.
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Parses `text`, saying where it went wrong.
    pub fn parse(text: &str) -> Result<Expr, String> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err("empty condition".into());
        }
        let mut p = Parser { tokens, pos: 0 };
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
            Expr::And(a, b) => a.eval(has_signal, has_group) && b.eval(has_signal, has_group),
            Expr::Or(a, b) => a.eval(has_signal, has_group) || b.eval(has_signal, has_group),
        }
    }

    /// Every signal code and group named, for validation.
    pub fn names(&self, signals: &mut Vec<String>, groups: &mut Vec<String>) {
        match self {
            Expr::Signal(s) => signals.push(s.clone()),
            Expr::Group(g) => groups.push(g.clone()),
            Expr::Not(e) => e.names(signals, groups),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.names(signals, groups);
                b.names(signals, groups);
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
    /// Both hold.
    And(Box<Compiled>, Box<Compiled>),
    /// Either holds.
    Or(Box<Compiled>, Box<Compiled>),
}

impl Compiled {
    /// Evaluates against the codes present.
    pub fn eval(&self, present: &CodeBits) -> bool {
        match self {
            Compiled::Signal(i) => present.contains(*i),
            Compiled::Any(mask) => present.intersects(mask),
            Compiled::Not(e) => !e.eval(present),
            Compiled::And(a, b) => a.eval(present) && b.eval(present),
            Compiled::Or(a, b) => a.eval(present) || b.eval(present),
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
        Some(match self {
            Expr::Signal(s) => Compiled::Signal(signal(s)?),
            Expr::Group(g) => Compiled::Any(group(g)?),
            Expr::Not(e) => Compiled::Not(Box::new(e.compile(signal, group)?)),
            Expr::And(a, b) => Compiled::And(
                Box::new(a.compile(signal, group)?),
                Box::new(b.compile(signal, group)?),
            ),
            Expr::Or(a, b) => Compiled::Or(
                Box::new(a.compile(signal, group)?),
                Box::new(b.compile(signal, group)?),
            ),
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
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match tok {
            Some(Token::Not) => Ok(Expr::Not(Box::new(self.unary()?))),
            Some(Token::Open) => {
                let e = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err("missing ')'".into());
                }
                self.pos += 1;
                Ok(e)
            }
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
}
