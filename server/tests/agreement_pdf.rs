//! The 电子协议书 over HTTP: its parties and scoped admins get a PDF whose text (read back by
//! pdftotext) names the student, the employer and the agreement number; everyone else gets 404.

mod common;

use std::process::Command;

use common::{demo, flow, on_each_backend};
use reqwest::StatusCode;

fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "wq_pdf_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: make test-tools");
    assert!(
        out.status.success(),
        "pdftotext failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    // Wrapped lines split Chinese text: compare without whitespace.
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test]
async fn a_certified_agreement_pdf_names_both_parties_and_its_number_and_only_they_and_the_school_get_it() {
    on_each_backend(|app| async move {
        let hz = app.login("employer", demo::EMPLOYER_APPROVED).await;
        let inv = flow::invite(&app, &hz, 0).await;
        let s = flow::student(&app, 0).await;
        let (_, id) = s
            .post("/api/student/invitation/accept", &[("invitation_id", &inv.to_string())])
            .await;
        let id = id.as_i64().unwrap();
        let school = app.login("admin", demo::school_admin(0)).await;
        let (status, detail) = school
            .post(
                "/api/admin/agreements/review",
                &[("agreement_id", &id.to_string()), ("approve", "true")],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        let number = detail["doc"]["agreement_no"].as_str().unwrap().to_owned();
        let path = format!("/api/agreements/{id}/pdf");

        for c in [&hz, &s, &school] {
            let (status, ct, bytes) = c.get_bytes(&path).await;
            assert_eq!(status, StatusCode::OK, "[{}]", app.backend);
            assert_eq!(ct, "application/pdf");
            assert!(bytes.len() <= 150 * 1024, "{} bytes", bytes.len());
            let text = pdf_text(&bytes);
            for needle in [
                flow::name(0),
                "华中数智科技有限公司",
                number.as_str(),
                "江城大学",
                "签约审核通过",
            ] {
                assert!(
                    text.contains(needle),
                    "[{}] PDF text lacks {needle}: {text}",
                    app.backend
                );
            }
        }
        for c in [
            app.login("employer", demo::EMPLOYER_OTHER).await,
            app.login("admin", demo::school_admin(1)).await,
            app.login("admin", demo::college_admin(0, 1)).await,
            app.login("student", &demo::student(1)).await,
        ] {
            let (status, _, _) = c.get_bytes(&path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "[{}]", app.backend);
        }
        let (status, _, _) = app.client().get_bytes(&path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    })
    .await;
}
