//! The 14 fields of a 邀请函 (`domain::letter::Letter`) are columns of `invitations`, and are
//! copied into `agreements` when the student accepts. This is the one place that lists them:
//! each of the two tables reads them into a `Letter` and sets them from one.

use domain::letter::Letter;
use sea_orm::ActiveValue::Set;

macro_rules! letter_columns {
    ($($table:ident),+) => {
        letter_columns!(@each [$($table),+] [position, job_category, work_place, salary, contract_term, probation,
            other_terms, archive_unit, archive_address, archive_postcode, archive_contact, archive_phone,
            hukou_address, hukou_unit]);
    };
    (@each [$($table:ident),+] $fields:tt) => { $(letter_columns!(@one $table $fields);)+ };
    (@one $table:ident [$($f:ident),+]) => {
        impl super::$table::Model {
            /// The letter's terms as stored (its `deadline_days` is the sender's choice, not kept).
            pub fn letter(&self) -> Letter {
                Letter { $($f: self.$f.clone(),)+ deadline_days: 0 }
            }
        }

        impl super::$table::ActiveModel {
            /// Sets the letter's columns (the other columns are left as they are).
            pub fn set_letter(&mut self, l: &Letter) {
                $(self.$f = Set(l.$f.clone());)+
            }
        }
    };
}

letter_columns!(invitation, agreement);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::{agreement, invitation};
    use sea_orm::ActiveValue;

    /// Each field holds its own name, so a field written to the wrong column shows.
    macro_rules! named_letter {
        ($($f:ident),+) => {
            (Letter { $($f: stringify!($f).to_owned(),)+ ..Default::default() }, [$(stringify!($f)),+])
        };
    }

    macro_rules! columns_of {
        ($am:expr; $($f:ident),+) => { [$($am.$f.clone()),+] };
    }

    #[test]
    fn a_letter_is_written_whole_to_the_invitation_and_to_the_agreement() {
        let (l, names) = named_letter!(
            position,
            job_category,
            work_place,
            salary,
            contract_term,
            probation,
            other_terms,
            archive_unit,
            archive_address,
            archive_postcode,
            archive_contact,
            archive_phone,
            hukou_address,
            hukou_unit
        );
        let expected: Vec<ActiveValue<String>> = names.iter().map(|n| ActiveValue::Set((*n).to_owned())).collect();
        let mut inv = invitation::ActiveModel::default();
        inv.set_letter(&l);
        let mut a = agreement::ActiveModel::default();
        a.set_letter(&l);
        let written = columns_of!(inv; position, job_category, work_place, salary, contract_term, probation,
            other_terms, archive_unit, archive_address, archive_postcode, archive_contact, archive_phone,
            hukou_address, hukou_unit);
        assert_eq!(written.to_vec(), expected);
        let written = columns_of!(a; position, job_category, work_place, salary, contract_term, probation,
            other_terms, archive_unit, archive_address, archive_postcode, archive_contact, archive_phone,
            hukou_address, hukou_unit);
        assert_eq!(written.to_vec(), expected);
    }
}
