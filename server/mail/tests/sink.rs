//! Sending through `Mailer` to the aiosmtpd sink and reading the mail back.

use mail::testing::SmtpSink;

#[tokio::test]
async fn a_chinese_subject_and_body_arrive_decoded_at_the_recipient() {
    let sink = SmtpSink::start();
    let body = "张三同学：\n\n您的就业协议已由用人单位签署，请登录网签系统确认。\n\n——就业指导中心\n";
    sink.mailer()
        .send("zhangsan@example.edu.cn", "【网签系统】协议待您确认", body)
        .await
        .expect("the sink accepts the message");

    let mails = sink.messages();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert_eq!(mail.to, ["zhangsan@example.edu.cn"]);
    assert_eq!(mail.from, "noreply@localhost");
    assert_eq!(mail.subject, "【网签系统】协议待您确认");
    assert_eq!(mail.body, body);
    assert!(mail.raw.contains("text/plain; charset=utf-8"), "{}", mail.raw);
}

#[tokio::test]
async fn a_bad_address_is_refused_and_nothing_is_sent() {
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    for bad in ["", "zhangsan", "zhangsan@", "张三 <>", "a@b.c, d@e.f"] {
        let err = mailer.send(bad, "主题", "正文").await.unwrap_err();
        assert!(matches!(err, mail::MailError::Recipient { .. }), "{bad:?}: {err:?}");
        let err = err.to_string();
        assert!(
            err.contains("收件人地址无效") && err.contains("invalid recipient"),
            "{bad:?}: {err}"
        );
    }
    // A good one afterwards is the only thing that arrives.
    mailer.send("李四 <lisi@example.com>", "主题", "正文").await.unwrap();
    let mails = sink.wait_for(1, std::time::Duration::from_secs(10)).await;
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_eq!(mails[0].to, ["lisi@example.com"]);
}

#[tokio::test]
async fn messages_are_listed_in_the_order_they_were_sent() {
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    for i in 1..=12 {
        mailer.send("a@example.com", &format!("第{i}封"), "正文").await.unwrap();
    }
    let subjects: Vec<String> = sink.messages().into_iter().map(|m| m.subject).collect();
    let expected: Vec<String> = (1..=12).map(|i| format!("第{i}封")).collect();
    assert_eq!(subjects, expected);
    sink.clear();
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_an_error_naming_it() {
    let sink = SmtpSink::start();
    let config = sink.config();
    drop(sink);
    let err = mail::Mailer::new(&config)
        .unwrap()
        .send("a@example.com", "主题", "正文")
        .await
        .unwrap_err();
    assert!(matches!(err, mail::MailError::Send { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("127.0.0.1:{}", config.port)), "{err}");
}
