//! The words of an application for disclosure (政府信息公开申请): how it arrived, who
//! applied, where it stands, how it was answered and under which row of the annual
//! report's table 三 its outcome is counted.

use serde::{Deserialize, Serialize};

/// Declares a closed set of snake_case words with `as_str`, `parse` and `ALL`.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        $(#[$meta])*
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case word used in JSON and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// Reads the snake_case word.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($word => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

word_enum! {
    /// How an application reached the agency; it decides the receipt date (Art. 31).
    #[cfg_attr(feature = "openapi", schema(as = DisclosureChannel))]
    Channel {
        /// 当面提交: the receipt date is the day it was handed in.
        InPerson => "in_person",
        /// 邮政快递 / 挂号信: the receipt date is the day the agency signed for it.
        RegisteredPost => "registered_post",
        /// 平常信函: the receipt date is the day the agency confirmed with the applicant.
        OrdinaryPost => "ordinary_post",
        /// 互联网渠道: the receipt date is the day both sides confirmed.
        Online => "online",
        /// 传真: the receipt date is the day both sides confirmed.
        Fax => "fax",
    }
}

word_enum! {
    /// Who applied: a natural person or one of the five kinds of organisation that are
    /// the columns of table 三.
    ApplicantKind {
        /// 自然人.
        NaturalPerson => "natural_person",
        /// 商业企业.
        Business => "business",
        /// 科研机构.
        Research => "research",
        /// 社会公益组织.
        PublicInterestOrg => "public_interest_org",
        /// 法律服务机构.
        LegalService => "legal_service",
        /// 其他 (法人或其他组织).
        Other => "other",
    }
}

impl ApplicantKind {
    /// The column label of table 三.
    pub fn label(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "自然人",
            ApplicantKind::Business => "商业企业",
            ApplicantKind::Research => "科研机构",
            ApplicantKind::PublicInterestOrg => "社会公益组织",
            ApplicantKind::LegalService => "法律服务机构",
            ApplicantKind::Other => "其他",
        }
    }
}

word_enum! {
    /// Where an application stands.
    #[cfg_attr(feature = "openapi", schema(as = DisclosureStatus))]
    Status {
        /// Registered; the reply clock runs from the receipt date.
        Received => "received",
        /// 补正: the applicant was asked to correct the application; the clock waits.
        CorrectionRequested => "correction_requested",
        /// Being handled.
        InProgress => "in_progress",
        /// A third party or another agency is being consulted; the clock is paused.
        Consulting => "consulting",
        /// A fee notice went out; the applicant has 20 working days to pay.
        FeeNotified => "fee_notified",
        /// Answered (Art. 36).
        Replied => "replied",
        /// Withdrawn by the applicant, or deemed withdrawn for want of a correction.
        Withdrawn => "withdrawn",
        /// Deemed abandoned: the fee was not paid in time.
        Abandoned => "abandoned",
        /// Closed and filed (归档).
        Archived => "archived",
    }
}

impl Status {
    /// Whether the application has been concluded (its outcome is known).
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Replied | Status::Withdrawn | Status::Abandoned | Status::Archived)
    }
}

word_enum! {
    /// Who is consulted (Arts. 32, 34): the time is not counted.
    ConsultedParty {
        /// 第三方: a person or organisation whose rights the information touches.
        ThirdParty => "third_party",
        /// 其他机关: an agency that produced the information together with this one.
        Agency => "agency",
    }
}

word_enum! {
    /// The kind of reply (Art. 36, and the refusals to handle of Arts. 35 and 39).
    ReplyType {
        /// 已经公开: say where it can be found.
        AlreadyPublic => "already_public",
        /// 予以公开.
        Disclosed => "disclosed",
        /// 部分公开.
        PartlyDisclosed => "partly_disclosed",
        /// 不予公开: with the reason.
        NotDisclosed => "not_disclosed",
        /// 经检索没有所申请公开信息: the information does not exist.
        DoesNotExist => "does_not_exist",
        /// 不属于本行政机关负责公开.
        NotThisAgency => "not_this_agency",
        /// 重复申请 (Art. 36(6)).
        RepeatApplication => "repeat_application",
        /// 法律、行政法规对信息的获取有特别规定 (Art. 36(7)).
        SpecialRoute => "special_route",
        /// 不作为政府信息公开申请处理 (Arts. 35, 39).
        NotProcessed => "not_processed",
        /// Any other reply.
        Other => "other",
    }
}

word_enum! {
    /// The row of table 三 (本年度办理结果) an application's outcome is counted in.
    #[cfg_attr(feature = "openapi", schema(as = DisclosureOutcome))]
    Outcome {
        /// （一）予以公开.
        Granted => "granted",
        /// （二）部分公开.
        PartlyGranted => "partly_granted",
        /// （三）不予公开 1 属于国家秘密.
        RefusedStateSecret => "refused_state_secret",
        /// （三）2 其他法律行政法规禁止公开.
        RefusedLawForbids => "refused_law_forbids",
        /// （三）3 危及“三安全一稳定”.
        RefusedThreeSafeties => "refused_three_safeties",
        /// （三）4 保护第三方合法权益.
        RefusedThirdParty => "refused_third_party",
        /// （三）5 属于三类内部事务信息.
        RefusedInternalAffairs => "refused_internal_affairs",
        /// （三）6 属于四类过程性信息.
        RefusedProcessInfo => "refused_process_info",
        /// （三）7 属于行政执法案卷.
        RefusedEnforcementFile => "refused_enforcement_file",
        /// （三）8 属于行政查询事项.
        RefusedAdministrativeQuery => "refused_administrative_query",
        /// （四）无法提供 1 本机关不掌握相关政府信息.
        UnavailableNotHeld => "unavailable_not_held",
        /// （四）2 没有现成信息需要另行制作.
        UnavailableNeedsCreation => "unavailable_needs_creation",
        /// （四）3 补正后申请内容仍不明确.
        UnavailableUnclearAfterCorrection => "unavailable_unclear_after_correction",
        /// （五）不予处理 1 信访举报投诉类申请.
        NotProcessedPetition => "not_processed_petition",
        /// （五）2 重复申请.
        NotProcessedRepeat => "not_processed_repeat",
        /// （五）3 要求提供公开出版物.
        NotProcessedPublication => "not_processed_publication",
        /// （五）4 无正当理由大量反复申请.
        NotProcessedExcessive => "not_processed_excessive",
        /// （五）5 要求行政机关确认或重新出具已获取信息.
        NotProcessedConfirmation => "not_processed_confirmation",
        /// （六）其他处理 1 申请人无正当理由逾期不补正 (set by deeming an application withdrawn).
        OtherNoCorrection => "other_no_correction",
        /// （六）2 逾期未缴纳信息处理费 (set by deeming an application abandoned).
        OtherFeeUnpaid => "other_fee_unpaid",
        /// （六）3 其他 (e.g. withdrawn by the applicant).
        Other => "other",
    }
}

impl ReplyType {
    /// The outcomes a reply of this type may be counted as; the first is the default
    /// when the reply names none and there is only one.
    pub fn outcomes(self) -> &'static [Outcome] {
        use Outcome as O;
        match self {
            ReplyType::AlreadyPublic | ReplyType::Disclosed => &[O::Granted],
            ReplyType::PartlyDisclosed => &[O::PartlyGranted],
            ReplyType::NotDisclosed => &[
                O::RefusedStateSecret,
                O::RefusedLawForbids,
                O::RefusedThreeSafeties,
                O::RefusedThirdParty,
                O::RefusedInternalAffairs,
                O::RefusedProcessInfo,
                O::RefusedEnforcementFile,
                O::RefusedAdministrativeQuery,
            ],
            ReplyType::DoesNotExist => &[O::UnavailableNotHeld, O::UnavailableNeedsCreation],
            ReplyType::NotThisAgency => &[O::UnavailableNotHeld],
            ReplyType::RepeatApplication => &[O::NotProcessedRepeat],
            ReplyType::SpecialRoute => &[O::RefusedAdministrativeQuery, O::Other],
            ReplyType::NotProcessed => &[
                O::NotProcessedPetition,
                O::NotProcessedRepeat,
                O::NotProcessedPublication,
                O::NotProcessedExcessive,
                O::NotProcessedConfirmation,
            ],
            ReplyType::Other => &[O::UnavailableUnclearAfterCorrection, O::Other],
        }
    }

    /// Whether the reply must say something in words: where the information is
    /// published, why it is withheld, which agency holds it.
    pub fn needs_explanation(self) -> bool {
        matches!(
            self,
            ReplyType::AlreadyPublic | ReplyType::NotDisclosed | ReplyType::NotThisAgency
        )
    }
}

/// The same closed-word enums for other parts of the domain.
pub(crate) use word_enum;
