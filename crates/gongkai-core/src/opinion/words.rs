//! The words of the opinion ledger: where a concern came from, what it is about, and
//! how it was answered.

use serde::{Deserialize, Serialize};

use crate::disclosure::model::word_enum;

word_enum! {
    /// 来源: where a concern reached the government (tasks 28–29).
    #[cfg_attr(feature = "openapi", schema(as = OpinionSource))]
    Source {
        /// 政务新媒体留言: a message to one of the government's new-media accounts.
        NewMedia => "new_media",
        /// 省长留言信箱: the governor's mailbox.
        GovernorMailbox => "governor_mailbox",
        /// 12345热线: the government service hotline.
        #[serde(rename = "hotline_12345")]
        Hotline12345 => "hotline_12345",
        /// 网络舆情: public opinion online, noticed by the government.
        OnlineOpinion => "online_opinion",
        /// 媒体报道: a press report.
        MediaReport => "media_report",
        /// 其他.
        Other => "other",
    }
}

impl Source {
    /// The Chinese name, as the ledger prints it.
    pub fn label(self) -> &'static str {
        match self {
            Source::NewMedia => "政务新媒体留言",
            Source::GovernorMailbox => "省长留言信箱",
            Source::Hotline12345 => "12345热线",
            Source::OnlineOpinion => "网络舆情",
            Source::MediaReport => "媒体报道",
            Source::Other => "其他",
        }
    }
}

word_enum! {
    /// 关注领域: the topics task 27 names, or another.
    #[cfg_attr(feature = "openapi", schema(as = OpinionTopic))]
    Topic {
        /// 疫情防控.
        EpidemicControl => "epidemic_control",
        /// 房地产金融.
        RealEstateFinance => "real_estate_finance",
        /// 工资拖欠.
        WageArrears => "wage_arrears",
        /// 环境污染和生态破坏.
        EnvironmentPollution => "environment_pollution",
        /// 食品药品安全.
        FoodDrugSafety => "food_drug_safety",
        /// 教育医疗养老.
        EducationHealthElderly => "education_health_elderly",
        /// 安全生产.
        WorkSafety => "work_safety",
        /// 困难群众生活.
        HardshipLivelihood => "hardship_livelihood",
        /// 其他.
        Other => "other",
    }
}

impl Topic {
    /// The Chinese name, as the plan writes it.
    pub fn label(self) -> &'static str {
        match self {
            Topic::EpidemicControl => "疫情防控",
            Topic::RealEstateFinance => "房地产金融",
            Topic::WageArrears => "工资拖欠",
            Topic::EnvironmentPollution => "环境污染和生态破坏",
            Topic::FoodDrugSafety => "食品药品安全",
            Topic::EducationHealthElderly => "教育医疗养老",
            Topic::WorkSafety => "安全生产",
            Topic::HardshipLivelihood => "困难群众生活",
            Topic::Other => "其他",
        }
    }
}

word_enum! {
    /// 回应渠道: how a response was given.
    #[cfg_attr(feature = "openapi", schema(as = OpinionResponseChannel))]
    ResponseChannel {
        /// A reply on the new-media account where the message was left.
        NewMedia => "new_media",
        /// A reply through the governor's mailbox.
        GovernorMailbox => "governor_mailbox",
        /// Through the 12345 hotline (a call back, its work order).
        #[serde(rename = "hotline_12345")]
        Hotline12345 => "hotline_12345",
        /// 政府网站: a notice or answer on the government website.
        Website => "website",
        /// 新闻发布会: a press conference.
        PressConference => "press_conference",
        /// 媒体: an interview or statement in the press.
        Media => "media",
        /// 电话: by telephone to the person who wrote in.
        Phone => "phone",
        /// 书面: in writing to the person who wrote in.
        Letter => "letter",
        /// 其他.
        Other => "other",
    }
}

word_enum! {
    /// Where a case stands.
    #[cfg_attr(feature = "openapi", schema(as = OpinionCaseStatus))]
    CaseStatus {
        /// Registered, not responded to yet; the response clock runs.
        Open => "open",
        /// Responded to at least once; its promises may still be pending.
        Responded => "responded",
        /// Closed by the coordinator: responded, and no promise pending.
        Closed => "closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_have_labels() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(*s));
            assert!(!s.label().is_empty());
        }
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(*t));
            assert!(!t.label().is_empty());
        }
        for c in ResponseChannel::ALL {
            assert_eq!(ResponseChannel::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for s in Source::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str(), "JSON and database agree");
        }
        assert_eq!(Source::ALL.len(), 6);
        assert_eq!(Topic::ALL.len(), 9, "the eight topics of task 27, and 其他");
        assert_eq!(Source::parse("weibo"), None);
    }
}
