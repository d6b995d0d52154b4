//! The professions the generator draws careers from: titles as people write them (synonyms and
//! the odd typo), skills with the spellings seen on real profiles ("JS" / "JavaScript",
//! "K8s" / "Kubernetes"), duties for work-history descriptions, and fields of study.
//!
//! Tables only. What a person or a job *is* (profession, level, skill set) is decided in
//! `career.rs` and never leaves the simulator except through the ground truth; what the API
//! shows is written from these surface forms, so a ranker has to see through them.

/// One profession.
pub struct Profession {
    /// Job titles for this work: the first is the canonical one jobs mostly use; the others are
    /// synonyms and misspellings people write on their profiles.
    pub titles: &'static [&'static str],
    /// Skills of the profession; each skill lists its spellings, canonical first.
    pub skills: &'static [&'static [&'static str]],
    /// Phrases a work-history description is made of ("built …", "cared for …").
    pub duties: &'static [&'static str],
    /// Degrees people of this profession hold.
    pub degrees: &'static [&'static str],
}

/// Seniority levels, junior to principal. Each lists the title prefixes that say it; the empty
/// prefix (a bare "Software Engineer") is mid level.
pub const LEVEL_PREFIXES: [&[&str]; 5] = [
    &["Junior ", "Jr. ", "Jr ", "Associate "],
    &["", "", ""],
    &["Senior ", "Sr. ", "Sr "],
    &["Lead ", "Staff "],
    &["Principal "],
];

/// Years of experience by level (inclusive range).
pub const LEVEL_YEARS: [(u32, u32); 5] = [(0, 2), (2, 5), (5, 9), (8, 13), (12, 20)];

pub const SCHOOLS: &[&str] = &[
    "University of Michigan",
    "Ohio State University",
    "University of Texas at Austin",
    "Georgia Institute of Technology",
    "University of Washington",
    "Boston University",
    "Arizona State University",
    "Penn State University",
    "University of Colorado Boulder",
    "Northeastern University",
    "University of Minnesota",
    "Portland State University",
];

/// Employers of work histories beyond the generator's company list (`names::COMPANIES`, which
/// comes first: see [`employer`]).
pub const MORE_EMPLOYERS: &[&str] = &[
    "Mercy General Hospital",
    "Lakeside Medical Center",
    "Brightline Analytics",
    "Redwood Retail",
];

/// An employer for a work history: one of the companies, then of [`MORE_EMPLOYERS`], drawn as
/// from the two lists end to end.
pub fn employer(rng: &mut super::rng::SplitMix64) -> &'static str {
    let companies = super::names::COMPANIES;
    let i = rng.below((companies.len() + MORE_EMPLOYERS.len()) as u64) as usize;
    companies
        .get(i)
        .copied()
        .unwrap_or_else(|| MORE_EMPLOYERS[i - companies.len()])
}

pub const PROFESSIONS: &[Profession] = &[
    Profession {
        titles: &[
            "Software Engineer",
            "Software Developer",
            "Backend Engineer",
            "Backend Developer",
            "Sofware Engineer",
        ],
        skills: &[
            &["Rust"],
            &["Go", "Golang"],
            &["Java"],
            &["Python"],
            &["PostgreSQL", "Postgres"],
            &["Kubernetes", "K8s"],
            &["AWS", "Amazon Web Services"],
            &["Kafka", "Apache Kafka"],
            &["Docker"],
            &["gRPC"],
            &["Microservices", "Micro-services"],
            &["Linux"],
        ],
        duties: &[
            "built and operated backend services",
            "designed APIs used by millions of customers",
            "cut p99 latency of the payments service",
            "migrated a monolith to services",
            "led code reviews and on-call rotations",
        ],
        degrees: &["B.S. Computer Science", "M.S. Computer Science"],
    },
    Profession {
        titles: &[
            "Frontend Engineer",
            "Front-End Developer",
            "UI Engineer",
            "Web Developer",
            "Frontend Develper",
        ],
        skills: &[
            &["JavaScript", "JS", "Javascript"],
            &["TypeScript", "TS"],
            &["React", "React.js", "ReactJS"],
            &["CSS", "CSS3"],
            &["HTML", "HTML5"],
            &["Vue", "Vue.js"],
            &["Webpack"],
            &["Accessibility", "a11y"],
            &["Figma"],
            &["Jest"],
            &["GraphQL"],
            &["Next.js", "NextJS"],
        ],
        duties: &[
            "built responsive web applications",
            "shipped a design system used across products",
            "improved page load times",
            "worked with designers on user interfaces",
            "wrote component and end-to-end tests",
        ],
        degrees: &["B.S. Computer Science", "B.A. Interaction Design"],
    },
    Profession {
        titles: &[
            "Data Scientist",
            "Machine Learning Scientist",
            "Applied Scientist",
            "Data Scientst",
        ],
        skills: &[
            &["Python"],
            &["Machine Learning", "ML"],
            &["Statistics", "Statistical Modeling"],
            &["PyTorch"],
            &["TensorFlow"],
            &["SQL"],
            &["Pandas"],
            &["Scikit-learn", "sklearn"],
            &["NLP", "Natural Language Processing"],
            &["Deep Learning"],
            &["Spark", "Apache Spark"],
            &["R"],
        ],
        duties: &[
            "trained and deployed models to production",
            "ran experiments to improve recommendations",
            "built forecasting models for demand",
            "analysed large data sets",
            "presented findings to leadership",
        ],
        degrees: &[
            "M.S. Statistics",
            "Ph.D. Computer Science",
            "M.S. Data Science",
        ],
    },
    Profession {
        titles: &[
            "Data Analyst",
            "Business Intelligence Analyst",
            "BI Analyst",
            "Reporting Analyst",
            "Data Analist",
        ],
        skills: &[
            &["SQL"],
            &["Excel", "Microsoft Excel"],
            &["Tableau"],
            &["Power BI", "PowerBI"],
            &["Python"],
            &["Looker"],
            &["Dashboards", "Dashboarding"],
            &["Statistics"],
            &["A/B Testing", "AB Testing"],
            &["Data Visualization", "Data Viz"],
            &["ETL"],
            &["Google Analytics", "GA4"],
        ],
        duties: &[
            "built dashboards for the sales team",
            "wrote reports on weekly business metrics",
            "cleaned and modelled data for analysis",
            "answered ad-hoc questions from stakeholders",
            "automated monthly reporting",
        ],
        degrees: &[
            "B.S. Economics",
            "B.S. Mathematics",
            "B.A. Business Analytics",
        ],
    },
    Profession {
        titles: &[
            "Registered Nurse",
            "RN",
            "Staff Nurse",
            "Clinical Nurse",
            "Registerd Nurse",
        ],
        skills: &[
            &["Patient Care"],
            &["BLS", "Basic Life Support"],
            &["ACLS", "Advanced Cardiac Life Support"],
            &["EHR", "Electronic Health Records"],
            &["Epic"],
            &["Medication Administration"],
            &["Triage"],
            &["ICU", "Intensive Care"],
            &["Wound Care"],
            &["IV Therapy", "Intravenous Therapy"],
            &["Telemetry"],
            &["Pediatrics"],
        ],
        duties: &[
            "cared for patients on a busy unit",
            "assessed patients and coordinated care plans",
            "educated patients and families",
            "precepted new graduate nurses",
            "worked twelve-hour shifts in acute care",
        ],
        degrees: &["BSN Nursing", "ADN Nursing", "MSN Nursing"],
    },
    Profession {
        titles: &[
            "Accountant",
            "Staff Accountant",
            "Certified Public Accountant",
            "Accountent",
        ],
        skills: &[
            &["GAAP"],
            &["Accounts Payable"],
            &["Accounts Receivable"],
            &["Reconciliation", "Account Reconciliation"],
            &["QuickBooks", "Quickbooks"],
            &["Excel", "Microsoft Excel"],
            &["Tax Preparation"],
            &["Audit", "Auditing"],
            &["SAP"],
            &["Month-End Close", "Month End Close"],
            &["Payroll"],
            &["Financial Reporting"],
        ],
        duties: &[
            "closed the books every month",
            "prepared financial statements",
            "reconciled bank and ledger accounts",
            "supported the annual audit",
            "managed vendor payments",
        ],
        degrees: &["B.S. Accounting", "B.B.A. Finance", "M.S. Accounting"],
    },
    Profession {
        titles: &[
            "Account Executive",
            "Sales Executive",
            "Sales Representative",
            "Account Exec",
        ],
        skills: &[
            &["Salesforce", "SFDC"],
            &["Negotiation"],
            &["Prospecting"],
            &["Cold Calling"],
            &["CRM", "Customer Relationship Management"],
            &["B2B Sales"],
            &["Pipeline Management"],
            &["Closing"],
            &["SaaS"],
            &["Lead Generation"],
            &["HubSpot", "Hubspot"],
            &["Account Management"],
        ],
        duties: &[
            "closed new business with mid-market accounts",
            "beat quota four quarters in a row",
            "built pipeline through outbound prospecting",
            "ran demos for prospective customers",
            "grew revenue in the assigned territory",
        ],
        degrees: &["B.A. Communications", "B.B.A. Marketing", "B.A. Business"],
    },
    Profession {
        titles: &[
            "Marketing Manager",
            "Digital Marketing Manager",
            "Growth Marketer",
            "Marketing Specialist",
        ],
        skills: &[
            &["SEO", "Search Engine Optimization"],
            &["SEM"],
            &["Google Ads", "AdWords"],
            &["Content Marketing"],
            &["Copywriting"],
            &["Email Marketing"],
            &["Social Media"],
            &["Marketing Analytics"],
            &["Brand Strategy", "Branding"],
            &["Google Analytics", "GA4"],
            &["Campaign Management"],
            &["Marketo"],
        ],
        duties: &[
            "ran paid campaigns across channels",
            "grew organic traffic",
            "launched new products to market",
            "managed the marketing budget",
            "wrote content for the blog and newsletters",
        ],
        degrees: &["B.A. Marketing", "B.A. Communications", "MBA"],
    },
    Profession {
        titles: &[
            "Recruiter",
            "Talent Acquisition Specialist",
            "Technical Recruiter",
            "Talent Partner",
            "Recuiter",
        ],
        skills: &[
            &["Sourcing"],
            &["Interviewing"],
            &["Applicant Tracking Systems", "ATS"],
            &["LinkedIn Recruiter"],
            &["Boolean Search"],
            &["Onboarding"],
            &["Employer Branding"],
            &["Offer Negotiation"],
            &["Workday"],
            &["Greenhouse"],
            &["Candidate Experience"],
            &["Full-Cycle Recruiting", "Full Cycle Recruiting"],
        ],
        duties: &[
            "hired engineers and sales teams",
            "sourced passive candidates",
            "partnered with hiring managers on openings",
            "ran interview loops and closed offers",
            "improved time to hire",
        ],
        degrees: &["B.A. Psychology", "B.A. Human Resources", "B.A. Sociology"],
    },
    Profession {
        titles: &[
            "Mechanical Engineer",
            "Design Engineer",
            "Mechanical Design Engineer",
            "Mechanical Enginer",
        ],
        skills: &[
            &["SolidWorks", "Solidworks"],
            &["AutoCAD", "Auto CAD"],
            &["CAD"],
            &["FEA", "Finite Element Analysis"],
            &["GD&T"],
            &["MATLAB", "Matlab"],
            &["Prototyping"],
            &["Thermodynamics"],
            &["Manufacturing"],
            &["CNC"],
            &["Six Sigma", "6 Sigma"],
            &["Creo"],
        ],
        duties: &[
            "designed parts for production",
            "ran tests on prototypes",
            "worked with suppliers on tooling",
            "reduced the cost of an assembly",
            "wrote engineering change orders",
        ],
        degrees: &["B.S. Mechanical Engineering", "M.S. Mechanical Engineering"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profession_has_enough_to_draw_from() {
        for p in PROFESSIONS {
            // A job asks for 3 required and 2 nice-to-have skills; people hold up to 8.
            assert!(p.skills.len() >= 8, "{}", p.titles[0]);
            assert!(p.titles.len() >= 3 && !p.duties.is_empty() && !p.degrees.is_empty());
            assert!(p.skills.iter().all(|s| !s.is_empty()));
        }
    }
}
