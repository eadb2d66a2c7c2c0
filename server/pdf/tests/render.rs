//! The 电子协议书 read back with `pdftotext` (poppler-utils): what a person copying text out
//! of the PDF would get. Whitespace is stripped before matching because wrapped lines split
//! Chinese text.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use agreement_pdf::{render, AgreementFont};
use domain::letter::Letter;
use domain::view::{AgreementDoc, Certification, DocEmployer, DocStudent};

const MAX_PDF_BYTES: usize = 150 * 1024;

fn font() -> &'static AgreementFont {
    static FONT: OnceLock<AgreementFont> = OnceLock::new();
    FONT.get_or_init(|| AgreementFont::load(None).expect("the agreement font (fonts-wqy-zenhei) must be installed"))
}

fn certified() -> AgreementDoc {
    AgreementDoc {
        agreement_no: "WQ2026-000123".into(),
        verify_code: "K7P3QZ9M".into(),
        status_label: "签约审核通过".into(),
        student: DocStudent {
            name: "张晓雯".into(),
            gender: "女".into(),
            id_number: "42010619990101002X".into(),
            school: "江城大学".into(),
            college: "计算机科学与技术学院".into(),
            major: "软件工程".into(),
            degree: "本科".into(),
            graduation_year: 2026,
            phone: "13800138000".into(),
            email: "zhangxiaowen2026@example.edu.cn".into(),
        },
        employer: DocEmployer {
            name: "武汉长江智能科技有限公司".into(),
            credit_code: "91420100MA4K2XYZ3B".into(),
            contact_person: "李经理".into(),
            contact_phone: "027-87654321".into(),
            address: "湖北省武汉市东湖新技术开发区光谷大道77号金融港B座12楼".into(),
            nature: "其他企业".into(),
            industry: "信息传输、软件和信息技术服务业".into(),
        },
        letter: Letter {
            position: "Java 后端开发工程师".into(),
            job_category: "专业技术人员".into(),
            work_place: "湖北省武汉市".into(),
            salary: "12000元/月".into(),
            contract_term: "3年".into(),
            probation: "3个月".into(),
            other_terms: "试用期满考核合格后转正，享受五险一金及带薪年假。\n公司提供人才公寓一年。".into(),
            archive_unit: "武汉市人才服务中心".into(),
            archive_address: "湖北省武汉市江岸区解放大道1000号".into(),
            archive_postcode: "430010".into(),
            archive_contact: "王老师".into(),
            archive_phone: "027-82345678".into(),
            hukou_address: "湖北省武汉市洪山区".into(),
            hukou_unit: "武汉市洪山区公安分局".into(),
            deadline_days: 5,
        },
        signed_at: "2026-05-20 14:30".into(),
        certification: Some(Certification {
            by: "江城大学计算机科学与技术学院".into(),
            at: "2026-05-22 09:15".into(),
        }),
    }
}

fn uncertified() -> AgreementDoc {
    AgreementDoc {
        status_label: "待审核".into(),
        certification: None,
        ..certified()
    }
}

/// The PDF's text with all whitespace and the page headers removed (a value split across
/// pages has the next page's header in the middle).
fn text_of(pdf: &[u8], doc: &AgreementDoc) -> String {
    let child = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = child.expect("`pdftotext` not found: install poppler-utils (apt-get install -y poppler-utils)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    let complaints = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && complaints.is_empty(), "pdftotext: {complaints}");
    let mut text = strip(&String::from_utf8(out.stdout).expect("pdftotext writes UTF-8"));
    for page in (1..=50).rev() {
        text = text.replace(
            &format!("高校毕业生就业协议书协议编号：{}第{page}页", strip(&doc.agreement_no)),
            "",
        );
    }
    text
}

fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_contains(text: &str, wanted: &str) {
    let wanted = strip(wanted);
    assert!(
        text.contains(&wanted),
        "{wanted:?} is missing from the PDF text:\n{text}"
    );
}

#[test]
fn a_certified_agreement_shows_the_parties_the_number_and_the_certification_line() {
    let doc = certified();
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    assert_contains(&text, "高校毕业生就业协议书");
    assert_contains(&text, &doc.student.name);
    assert_contains(&text, &doc.employer.name);
    assert_contains(&text, &doc.agreement_no);
    assert_contains(&text, &doc.verify_code);
    assert_contains(
        &text,
        "丙方鉴证：签约审核通过（江城大学计算机科学与技术学院，2026-05-22 09:15）",
    );
}

#[test]
fn every_field_of_the_agreement_is_printed() {
    let doc = certified();
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    let (s, e, l) = (&doc.student, &doc.employer, &doc.letter);
    for value in [
        &e.credit_code,
        &e.nature,
        &e.industry,
        &e.contact_person,
        &e.contact_phone,
        &e.address,
        &s.gender,
        &s.id_number,
        &s.school,
        &s.college,
        &s.major,
        &s.degree,
        &s.phone,
        &s.email,
        &l.position,
        &l.job_category,
        &l.work_place,
        &l.salary,
        &l.contract_term,
        &l.probation,
        &l.other_terms,
        &l.archive_unit,
        &l.archive_address,
        &l.archive_postcode,
        &l.archive_contact,
        &l.archive_phone,
        &l.hukou_address,
        &l.hukou_unit,
        &doc.signed_at,
    ] {
        assert_contains(&text, value);
    }
    assert_contains(&text, "2026届");
    assert_contains(&text, "协议验证");
}

#[test]
fn an_uncertified_agreement_shows_pending_certification_and_no_approval() {
    let doc = uncertified();
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    assert_contains(&text, "丙方鉴证：待鉴证（待审核）");
    assert!(
        !text.contains("签约审核通过"),
        "an uncertified agreement must not say 签约审核通过:\n{text}"
    );
}

#[test]
fn a_long_other_terms_without_spaces_is_printed_in_full() {
    let mut doc = certified();
    // 1000 characters (the letter's limit) with no space to break at, across several lines.
    let clause = "双方约定乙方入职后参加为期三个月的岗前培训，培训费用由甲方承担，乙方服务期满五年方可离职";
    doc.letter.other_terms = clause.chars().cycle().take(1000).collect();
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    assert_contains(&text, &doc.letter.other_terms);
}

#[test]
fn a_long_latin_word_is_printed_in_full() {
    let mut doc = certified();
    doc.student.email = format!("{}@example.edu.cn", "a1b2c3d4e5".repeat(12));
    doc.letter.other_terms = "X".repeat(300);
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    assert_contains(&text, &doc.student.email);
    assert_contains(&text, &doc.letter.other_terms);
}

#[test]
fn a_typical_agreement_is_at_most_150_kb() {
    let pdf = render(&certified(), font()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() <= MAX_PDF_BYTES, "{} bytes", pdf.len());
}

#[test]
fn characters_missing_from_the_font_are_replaced_and_the_rest_of_the_line_is_kept() {
    let mut doc = certified();
    doc.student.name = "张\u{1F600}雯同学".into(); // an emoji the font cannot draw
    let text = text_of(&render(&doc, font()).unwrap(), &doc);
    assert_contains(&text, "张□雯同学");
}

#[test]
fn odd_input_renders_without_panicking() {
    let mut empty = uncertified();
    empty.agreement_no.clear();
    empty.verify_code.clear();
    empty.status_label.clear();
    empty.signed_at.clear();
    empty.student = DocStudent {
        name: String::new(),
        gender: String::new(),
        id_number: String::new(),
        school: String::new(),
        college: String::new(),
        major: String::new(),
        degree: String::new(),
        graduation_year: 0,
        phone: String::new(),
        email: String::new(),
    };
    empty.employer = DocEmployer::default();
    empty.letter = Letter::default();
    let text = text_of(&render(&empty, font()).unwrap(), &empty);
    assert_contains(&text, "丙方鉴证：待鉴证（）");
    assert_contains(&text, "姓名—性别—"); // empty values are marked, not left blank

    let mut odd = certified();
    odd.letter.other_terms = "\t\u{0}（\r\n\n\n）\u{3000}\u{FEFF}  ， 、".repeat(50) + &"长".repeat(5000);
    odd.employer.name = "𠀀𪚥 \u{200B}\u{202E}مرحبا Ωμέγα".into();
    odd.student.graduation_year = -1;
    let pdf = render(&odd, font()).unwrap();
    assert!(text_of(&pdf, &odd).contains(&"长".repeat(5000)));
}

/// Counts `needle` in `haystack` (non-overlapping).
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    let mut n = 0;
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        n += 1;
        rest = &rest[at + needle.len()..];
    }
    n
}

#[test]
fn every_stream_of_the_agreement_is_compressed() {
    // `deflate_streams` silently falls back to the uncompressed PDF (valid, but about twice
    // the size): this is what notices if that fallback ever becomes the normal path.
    let pdf = render(&certified(), font()).unwrap();
    let streams = count(&pdf, b"endstream");
    assert!(
        streams >= 3,
        "expected page contents and the font as streams, found {streams}"
    );
    let filtered = count(&pdf, b"/FlateDecode");
    assert_eq!(
        filtered, streams,
        "{filtered} of {streams} streams carry /Filter/FlateDecode"
    );
}
