//! Where SMS go (验证码 for 信息验证, 首次登录 and 忘记密码), chosen by configuration:
//!
//! ```text
//! SMS_SENDER                log (default): written to the server log (target `outbox`)
//!                           http: POSTed (or sent with SMS_GATEWAY_METHOD) to an SMS gateway
//! SMS_GATEWAY_URL           the gateway's http(s) URL (required with http); may hold placeholders
//! SMS_GATEWAY_METHOD        POST (default), PUT or GET (GET sends no body)
//! SMS_GATEWAY_BODY          body template, default {"phone":"{phone}","text":"{text}"}
//! SMS_GATEWAY_CONTENT_TYPE  default application/json
//! SMS_GATEWAY_KEY           replaces {key} in the URL and body (gateways that take a key there)
//! SMS_GATEWAY_TOKEN         sent as `Authorization: Bearer <token>`
//! SMS_GATEWAY_USER          with SMS_GATEWAY_PASSWORD: HTTP basic authentication
//! SMS_GATEWAY_PASSWORD
//! ```
//!
//! Placeholders `{phone}`, `{text}` and `{key}` are replaced with values escaped for where they
//! stand: percent-encoded in the URL and in a form body (`application/x-www-form-urlencoded`),
//! as JSON string content in a JSON body (the template supplies the quotes), XML-escaped in an
//! XML body. Any 2xx answer counts as sent; anything else (or no answer within 10 s) is a failed
//! attempt, which the outbox tries again by its retry policy.

use std::{fmt, time::Duration};

/// The gateway's whole exchange must end within this.
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub const DEFAULT_BODY: &str = r#"{"phone":"{phone}","text":"{text}"}"#;
pub const DEFAULT_CONTENT_TYPE: &str = "application/json";

/// Why SMS cannot be configured or sent (for operators' logs: Chinese / English).
#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    #[error("SMS_SENDER 的值无效：{0:?}，应为 log 或 http / invalid SMS_SENDER {0:?}: expected log or http")]
    Sender(String),
    #[error("SMS_SENDER=http 需要 SMS_GATEWAY_URL（http:// 或 https:// 地址）/ SMS_SENDER=http needs SMS_GATEWAY_URL (an http:// or https:// URL): {0:?}")]
    Url(String),
    #[error("SMS_GATEWAY_METHOD 的值无效：{0:?}，应为 POST、PUT 或 GET / invalid SMS_GATEWAY_METHOD {0:?}: expected POST, PUT or GET")]
    Method(String),
    #[error(
        "SMS_GATEWAY_USER 与 SMS_GATEWAY_PASSWORD 须同时设置 / SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD go together"
    )]
    UserAndPassword,
    #[error("无法创建短信网关客户端 / cannot build the SMS gateway client: {0}")]
    Client(String),
    /// No answer, or one that is not 2xx.
    #[error("短信网关发送失败 / the SMS gateway did not take the message: {0}")]
    Send(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
    Get,
}

/// An SMS gateway as configured (see the module docs).
#[derive(Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    pub url: String,
    pub method: Method,
    pub body: String,
    pub content_type: String,
    pub key: Option<String>,
    pub token: Option<String>,
    pub basic: Option<(String, String)>,
}

/// Credentials are never printed.
impl fmt::Debug for GatewayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatewayConfig")
            .field("url", &self.url)
            .field("method", &self.method)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl GatewayConfig {
    /// `Ok(None)`: SMS go to the log. Reads the `SMS_*` variables.
    pub fn from_env() -> Result<Option<Self>, SmsError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) through a name → value function (tests). Empty counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, SmsError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        match get("SMS_SENDER").map(|s| s.to_ascii_lowercase()).as_deref() {
            None | Some("log") => return Ok(None),
            Some("http") => {}
            Some(_) => return Err(SmsError::Sender(get("SMS_SENDER").unwrap_or_default())),
        }
        let url = get("SMS_GATEWAY_URL").unwrap_or_default();
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.chars().any(char::is_whitespace) {
            return Err(SmsError::Url(url));
        }
        let method = match get("SMS_GATEWAY_METHOD").map(|m| m.to_ascii_uppercase()).as_deref() {
            None | Some("POST") => Method::Post,
            Some("PUT") => Method::Put,
            Some("GET") => Method::Get,
            Some(other) => return Err(SmsError::Method(other.to_owned())),
        };
        let basic = match (
            get("SMS_GATEWAY_USER"),
            lookup("SMS_GATEWAY_PASSWORD").filter(|p| !p.is_empty()),
        ) {
            (Some(u), Some(p)) => Some((u, p)),
            (None, None) => None,
            _ => return Err(SmsError::UserAndPassword),
        };
        Ok(Some(GatewayConfig {
            url,
            method,
            body: lookup("SMS_GATEWAY_BODY")
                .filter(|b| !b.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_BODY.to_owned()),
            content_type: get("SMS_GATEWAY_CONTENT_TYPE").unwrap_or_else(|| DEFAULT_CONTENT_TYPE.to_owned()),
            key: lookup("SMS_GATEWAY_KEY").filter(|k| !k.is_empty()),
            token: lookup("SMS_GATEWAY_TOKEN").filter(|t| !t.is_empty()),
            basic,
        }))
    }

    /// The URL and the body for one message.
    pub fn render(&self, phone: &str, text: &str) -> (String, String) {
        let key = self.key.as_deref().unwrap_or_default();
        let url = fill(&self.url, &[phone, text, key], percent_encode);
        let ct = self.content_type.to_ascii_lowercase();
        let escape: fn(&str) -> String = if ct.contains("json") {
            json_escape
        } else if ct.contains("x-www-form-urlencoded") {
            percent_encode
        } else if ct.contains("xml") {
            xml_escape
        } else {
            str::to_owned
        };
        (url, fill(&self.body, &[phone, text, key], escape))
    }
}

/// Replaces `{phone}`, `{text}` and `{key}` in one pass (a value that itself holds a
/// placeholder's text is not replaced again).
fn fill(template: &str, [phone, text, key]: &[&str; 3], escape: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len() + text.len() * 2);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (value, len) = if tail.starts_with("{phone}") {
            (Some(phone), 7)
        } else if tail.starts_with("{text}") {
            (Some(text), 6)
        } else if tail.starts_with("{key}") {
            (Some(key), 5)
        } else {
            (None, 1)
        };
        match value {
            Some(v) => out.push_str(&escape(v)),
            None => out.push('{'),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn json_escape(s: &str) -> String {
    let quoted = serde_json::Value::from(s).to_string();
    quoted[1..quoted.len() - 1].to_owned()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Sends SMS through the configured gateway. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SmsGateway {
    config: GatewayConfig,
    http: reqwest::Client,
}

impl SmsGateway {
    pub fn new(config: GatewayConfig) -> Result<Self, SmsError> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(|e| SmsError::Client(e.to_string()))?;
        Ok(SmsGateway { config, http })
    }

    /// `GatewayConfig::from_env` and `new` in one: `Ok(None)` when SMS go to the log.
    pub fn from_env() -> Result<Option<Self>, SmsError> {
        GatewayConfig::from_env()?.map(SmsGateway::new).transpose()
    }

    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    /// Hands one message to the gateway; `Err` unless it answers 2xx.
    pub async fn send(&self, phone: &str, text: &str) -> Result<(), SmsError> {
        let (url, body) = self.config.render(phone, text);
        let request = match self.config.method {
            Method::Get => self.http.get(url),
            Method::Post => self.http.post(url).body(body),
            Method::Put => self.http.put(url).body(body),
        };
        let request = match self.config.method {
            Method::Get => request,
            _ => request.header(reqwest::header::CONTENT_TYPE, self.config.content_type.as_str()),
        };
        let request = match (&self.config.token, &self.config.basic) {
            (Some(token), _) => request.bearer_auth(token),
            (None, Some((user, password))) => request.basic_auth(user, Some(password)),
            (None, None) => request,
        };
        let answer = request.send().await.map_err(|e| SmsError::Send(e.to_string()))?;
        let status = answer.status();
        if status.is_success() {
            return Ok(());
        }
        let text = answer.text().await.unwrap_or_default();
        let excerpt: String = text.chars().take(200).collect();
        Err(SmsError::Send(format!("HTTP {status}: {excerpt}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(vars: &[(&str, &str)]) -> Result<Option<GatewayConfig>, SmsError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        GatewayConfig::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn sms_go_to_the_log_unless_the_http_sender_is_chosen() {
        assert!(parse(&[]).unwrap().is_none());
        assert!(parse(&[("SMS_SENDER", "log"), ("SMS_GATEWAY_URL", "http://x")])
            .unwrap()
            .is_none());
        assert!(matches!(parse(&[("SMS_SENDER", "smtp")]), Err(SmsError::Sender(_))));
    }

    #[test]
    fn the_http_sender_needs_a_url_and_a_known_method_and_both_basic_credentials() {
        assert!(matches!(parse(&[("SMS_SENDER", "http")]), Err(SmsError::Url(_))));
        assert!(matches!(
            parse(&[("SMS_SENDER", "http"), ("SMS_GATEWAY_URL", "ftp://sms")]),
            Err(SmsError::Url(_))
        ));
        let http = [
            ("SMS_SENDER", "http"),
            ("SMS_GATEWAY_URL", "https://sms.example.com/send"),
        ];
        let c = parse(&http).unwrap().unwrap();
        assert_eq!(
            (c.method, c.body.as_str(), c.content_type.as_str()),
            (Method::Post, DEFAULT_BODY, DEFAULT_CONTENT_TYPE)
        );
        let with = |extra: (&str, &str)| {
            let mut v = http.to_vec();
            v.push(extra);
            parse(&v)
        };
        assert!(matches!(
            with(("SMS_GATEWAY_METHOD", "DELETE")),
            Err(SmsError::Method(_))
        ));
        assert_eq!(
            with(("SMS_GATEWAY_METHOD", "get")).unwrap().unwrap().method,
            Method::Get
        );
        assert!(matches!(
            with(("SMS_GATEWAY_USER", "u")),
            Err(SmsError::UserAndPassword)
        ));
        assert!(matches!(
            with(("SMS_GATEWAY_PASSWORD", "p")),
            Err(SmsError::UserAndPassword)
        ));
        let secret = with(("SMS_GATEWAY_TOKEN", "s3cret")).unwrap().unwrap();
        assert!(!format!("{secret:?}").contains("s3cret"), "Debug hides credentials");
    }

    #[test]
    fn placeholders_are_escaped_for_where_they_stand() {
        let c = GatewayConfig {
            url: "https://sms.example.com/send?to={phone}&k={key}".into(),
            method: Method::Post,
            body: DEFAULT_BODY.into(),
            content_type: DEFAULT_CONTENT_TYPE.into(),
            key: Some("a&b".into()),
            token: None,
            basic: None,
        };
        let text = "【网签系统】验证码\"123456\"\n{phone}";
        let (url, body) = c.render("13800138000", text);
        assert_eq!(url, "https://sms.example.com/send?to=13800138000&k=a%26b");
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["text"], text, "a JSON body carries the text unchanged");
        assert_eq!(parsed["phone"], "13800138000");

        let form = GatewayConfig {
            body: "mobile={phone}&content={text}".into(),
            content_type: "application/x-www-form-urlencoded".into(),
            ..c.clone()
        };
        let (_, body) = form.render("13800138000", "a b&c=d");
        assert_eq!(body, "mobile=13800138000&content=a%20b%26c%3Dd");

        let xml = GatewayConfig {
            body: "<sms><to>{phone}</to><text>{text}</text></sms>".into(),
            content_type: "text/xml".into(),
            ..c
        };
        let (_, body) = xml.render("13800138000", "<b>&");
        assert_eq!(body, "<sms><to>13800138000</to><text>&lt;b&gt;&amp;</text></sms>");
    }
}
