//! What the 电子协议书 says and how it is laid out. Every string goes through
//! [`Writer::clean`], which substitutes characters the font lacks and records the characters
//! used, so that the font can then be subset to exactly this document.

use std::collections::BTreeSet;

use domain::view::AgreementDoc;
use genpdf::elements::{Break, FrameCellDecorator, LinearLayout, Paragraph, TableLayout};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Element};

use crate::font::AgreementFont;
use crate::text::break_units;

pub(crate) const BODY_SIZE: u8 = 10;
const TITLE_SIZE: u8 = 18;
const HEADING_SIZE: u8 = 12;
const HEADER_SIZE: u8 = 8;

/// Field labels are grey. Not bold: only the regular face is embedded (see `render`), and
/// the font has no bold face anyway.
fn label_style() -> Style {
    Style::new().with_color(Color::Greyscale(90))
}

/// Shown in a table cell whose value is empty, so that a blank is visibly "not filled in".
const EMPTY: &str = "—";

/// The articles of the agreement: the usual content of a 三方协议 in a few clauses.
const ARTICLES: &[&str] = &[
    "第一条　甲方应如实介绍本单位的性质、拟聘岗位、工作地点、薪酬待遇等情况，按照本协议约定接收乙方，\
     并在乙方报到之日起一个月内依法与乙方订立劳动（聘用）合同；合同约定的条件不得低于本协议的约定。",
    "第二条　乙方应如实向甲方介绍本人的学业成绩、身体状况等情况，按期取得毕业资格及相应学历学位证书，\
     并按规定时间持就业报到相关材料到甲方报到。乙方未能按期毕业的，应及时告知甲方和丙方。",
    "第三条　丙方负责核实乙方的毕业生资格和生源信息，对本协议进行审核鉴证，按照国家和地方有关规定\
     为乙方办理就业手续，并将乙方档案转递至本协议约定的档案接收单位。",
    "第四条　本协议经甲乙双方签订后，任何一方不得擅自解除。确需解除的，提出方应征得另一方同意，\
     通过平台提交解约申请，经丙方审核同意后方可解除；给对方造成损失的，由提出方依法承担相应责任。",
    "第五条　乙方未能取得毕业资格，或甲方因不可抗力无法接收乙方的，本协议自行解除，各方互不承担违约责任。",
    "第六条　本协议未尽事宜由甲乙双方在“其他约定”中协商确定。其他约定不得违反国家法律法规和就业政策，\
     不得损害乙方的合法权益。",
    "第七条　本协议为电子协议书，经甲乙双方在平台签约并经丙方鉴证后生效，与纸质协议书具有同等效力。\
     乙方报到后与甲方订立劳动（聘用）合同之日起，本协议自行终止。",
];

/// Builds the document body and remembers which characters it uses.
pub(crate) struct Writer<'f> {
    font: &'f AgreementFont,
    pub(crate) used: BTreeSet<char>,
}

impl<'f> Writer<'f> {
    pub(crate) fn new(font: &'f AgreementFont) -> Self {
        // Digits are always needed: the page header numbers pages after the subset is made.
        Writer {
            font,
            used: ('0'..='9').chain([' ']).collect(),
        }
    }

    /// Tabs and other whitespace become spaces, control and invisible characters go,
    /// characters the font cannot draw become its placeholder. Newlines are kept: they
    /// separate paragraphs.
    pub(crate) fn clean(&mut self, s: &str) -> String {
        let out: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                c if c.is_whitespace() => Some(' '),
                // Control and invisible formatting characters (zero-width space, BOM,
                // direction marks) carry nothing printable.
                c if c.is_control() => None,
                '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => None,
                c => Some(self.font.printable(c)),
            })
            .collect();
        self.used.extend(out.chars().filter(|&c| c != '\n'));
        out
    }

    /// One paragraph per line of `s`, cut into break units so that genpdf can wrap it.
    fn paragraphs(&mut self, s: &str, style: Style, align: Alignment) -> LinearLayout {
        let mut layout = LinearLayout::vertical();
        for line in self.clean(s).lines() {
            let units = break_units(line);
            if units.is_empty() {
                continue;
            }
            let mut p = Paragraph::default().aligned(align);
            for unit in units {
                p.push_styled(unit, style);
            }
            layout.push(p);
        }
        layout
    }

    fn para(&mut self, s: &str, style: Style) -> LinearLayout {
        self.paragraphs(s, style, Alignment::Left)
    }

    fn heading(&mut self, s: &str) -> impl Element {
        self.para(s, Style::new().with_font_size(HEADING_SIZE))
            .padded((3, 0, 1, 0))
    }

    fn cell(&mut self, s: &str, style: Style) -> impl Element {
        let s = if s.trim().is_empty() { EMPTY } else { s };
        self.para(s, style).padded((1, 1.5f32, 1, 1.5f32))
    }

    /// Label/value pairs, two pairs per row. Labels take 4 of every 10 parts of a pair (room
    /// for 8 characters), the same share as in [`Self::fields_wide`], so that stacked tables
    /// line up.
    fn fields(&mut self, pairs: &[(&str, &str)]) -> TableLayout {
        let mut table = TableLayout::new(vec![4, 6, 4, 6]);
        table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
        for row in pairs.chunks(2) {
            let mut cells: Vec<Box<dyn Element>> = Vec::new();
            for &(label, value) in row {
                cells.push(Box::new(self.cell(label, label_style())));
                cells.push(Box::new(self.cell(value, Style::new())));
            }
            if row.len() == 1 {
                // An odd count leaves the last pair blank (not "—": nothing is missing there).
                cells.push(Box::new(LinearLayout::vertical()));
                cells.push(Box::new(LinearLayout::vertical()));
            }
            // Four cells for four columns: push_row cannot fail.
            let _ = table.push_row(cells);
        }
        table
    }

    /// Label/value rows across the whole width, for long values.
    fn fields_wide(&mut self, rows: &[(&str, &str)]) -> TableLayout {
        let mut table = TableLayout::new(vec![4, 16]);
        table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
        for &(label, value) in rows {
            let cells: Vec<Box<dyn Element>> = vec![
                Box::new(self.cell(label, label_style())),
                Box::new(self.cell(value, Style::new())),
            ];
            let _ = table.push_row(cells);
        }
        table
    }

    /// The page header: document title, number and page.
    pub(crate) fn header(&mut self, doc: &AgreementDoc) -> impl Fn(usize) -> LinearLayout + 'static {
        let text = self.clean(&format!("高校毕业生就业协议书　协议编号：{}　第", doc.agreement_no));
        self.clean("页");
        move |page| {
            let mut p = Paragraph::default().aligned(Alignment::Right);
            let style = Style::new().with_font_size(HEADER_SIZE);
            for unit in break_units(&format!("{text}{page}页")) {
                p.push_styled(unit, style);
            }
            LinearLayout::vertical().element(p).element(Break::new(1))
        }
    }

    /// The whole agreement.
    pub(crate) fn agreement(&mut self, doc: &AgreementDoc) -> LinearLayout {
        let (s, e, l) = (&doc.student, &doc.employer, &doc.letter);
        let mut body = LinearLayout::vertical();

        let title = Style::new().with_font_size(TITLE_SIZE);
        body.push(self.paragraphs("高校毕业生就业协议书", title, Alignment::Center));
        body.push(self.paragraphs(
            "（电子协议书 · 三方协议）",
            Style::new().with_font_size(HEADING_SIZE),
            Alignment::Center,
        ));
        body.push(Break::new(1));
        let pairs = [("协议编号", doc.agreement_no.as_str()), ("验证码", &doc.verify_code)];
        body.push(self.fields(&pairs));
        body.push(self.fields_wide(&[("协议状态", &doc.status_label)]));
        body.push(
            self.para(
                "本协议书可凭协议编号和验证码在平台“协议验证”页面查验真伪。",
                Style::new(),
            )
            .padded((1, 0, 2, 0)),
        );
        body.push(self.para(
            "甲方（用人单位）、乙方（毕业生）和丙方（学校）根据国家关于高校毕业生就业的有关规定，\
             经平等协商、自愿签订本协议，共同遵守。",
            Style::new(),
        ));

        body.push(self.heading("一、甲方（用人单位）"));
        let pairs = [
            ("单位名称", e.name.as_str()),
            ("统一社会信用代码", &e.credit_code),
            ("单位性质", &e.nature),
            ("所属行业", &e.industry),
            ("联系人", &e.contact_person),
            ("联系电话", &e.contact_phone),
        ];
        body.push(self.fields(&pairs));
        body.push(self.fields_wide(&[("单位地址", &e.address)]));

        body.push(self.heading("二、乙方（毕业生）"));
        let year = if s.graduation_year > 0 {
            format!("{}届", s.graduation_year)
        } else {
            String::new()
        };
        let pairs = [
            ("姓名", s.name.as_str()),
            ("性别", &s.gender),
            ("身份证号", &s.id_number),
            ("学历", &s.degree),
            ("学校", &s.school),
            ("学院", &s.college),
            ("专业", &s.major),
            ("毕业届", &year),
            ("手机号", &s.phone),
            ("邮箱", &s.email),
        ];
        body.push(self.fields(&pairs));

        body.push(self.heading("三、丙方（学校）"));
        body.push(self.fields_wide(&[("学校名称", &s.school)]));

        body.push(self.heading("四、签约信息"));
        let pairs = [
            ("拟聘职位", l.position.as_str()),
            ("岗位类别", &l.job_category),
            ("工作地点", &l.work_place),
            ("月薪", &l.salary),
            ("合同期限", &l.contract_term),
            ("试用期", &l.probation),
        ];
        body.push(self.fields(&pairs));
        body.push(self.fields_wide(&[("其他约定", &l.other_terms)]));

        body.push(self.heading("五、档案接收信息"));
        let pairs = [
            ("接收单位", l.archive_unit.as_str()),
            ("邮编", &l.archive_postcode),
            ("联系人", &l.archive_contact),
            ("联系电话", &l.archive_phone),
        ];
        body.push(self.fields(&pairs));
        body.push(self.fields_wide(&[("接收地址", &l.archive_address)]));

        body.push(self.heading("六、户口接收信息"));
        body.push(self.fields_wide(&[("户口迁移地址", &l.hukou_address), ("户口接收单位", &l.hukou_unit)]));

        body.push(self.heading("七、协议条款"));
        for article in ARTICLES {
            body.push(self.para(article, Style::new()).padded((0, 0, 1, 0)));
        }

        body.push(self.heading("八、签约与鉴证"));
        let certification = match &doc.certification {
            Some(c) => format!("丙方鉴证：签约审核通过（{}，{}）", c.by, c.at),
            None => format!("丙方鉴证：待鉴证（{}）", doc.status_label),
        };
        let lines = [
            format!("甲方（用人单位）：{}（平台电子签约）", e.name),
            format!("乙方（毕业生）：{}", s.name),
            format!("乙方签约时间：{}", doc.signed_at),
            certification,
        ];
        for line in lines {
            body.push(self.para(&line, Style::new()).padded((0, 0, 1, 0)));
        }
        body
    }
}
