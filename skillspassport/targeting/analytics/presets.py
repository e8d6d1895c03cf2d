"""The indicators the targeting methods use, and the preset methods. Pure data.

Indicator codes are the product's own; `targeting.slices` maps each dataset's columns to them.
Where the published DERI uses a measure that has no open small-area source (social grade DE,
claimant count, pension credit uptake, Ofcom speeds), the closest open measure stands in, and
the label says so. docs/targeting.md compares the result with the published DERI v1.6 scores.
"""

from __future__ import annotations

from skillspassport.targeting.analytics.risk import Component, Indicator, Method

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator("imd_score", "IMD score", unit="score"),
        Indicator("income_rate", "Income deprivation", unit="rate"),
        Indicator("employment_rate", "Employment deprivation", unit="rate"),
        Indicator("adult_skills", "Adult skills and English proficiency", unit="indicator"),
        Indicator("education_score", "Education, skills and training", unit="score"),
        Indicator("health_score", "Health deprivation and disability", unit="score"),
        Indicator("digital_connectivity", "Poor broadband speeds", unit="indicator"),
        Indicator("prop_65_plus", "Aged 65 and over", unit="%"),
        Indicator("prop_75_plus", "Aged 75 and over", unit="%"),
        Indicator("prop_disabled", "Disabled (Equality Act)", unit="%"),
        Indicator("prop_hh_deprived", "Households deprived in 2+ dimensions", unit="%"),
    ]
}

DERI_STYLE = Method(
    code="deri",
    label="Digital exclusion (DERI-style)",
    description=(
        "Demography, connectivity and deprivation, equally weighted, after Greater Manchester's "
        "Digital Exclusion Risk Index. Open stand-ins: disability for limiting conditions, "
        "adult skills for no qualifications, employment deprivation for claimant count, income "
        "deprivation for pension credit, the IoD broadband indicator for Ofcom speeds."
    ),
    components=(
        Component(
            "demography",
            "Demography",
            {"prop_65_plus": 5, "prop_75_plus": 5, "prop_disabled": 2},
        ),
        Component("connectivity", "Connectivity", {"digital_connectivity": 1}),
        Component(
            "deprivation",
            "Deprivation",
            {"adult_skills": 4, "employment_rate": 2, "income_rate": 2, "imd_score": 2},
        ),
    ),
    component_weights={"demography": 1, "connectivity": 1, "deprivation": 1},
)

EMPLOYMENT_AND_SKILLS = Method(
    code="employment",
    label="Employment and skills need",
    description="Employment deprivation, adult skills and income deprivation, equally weighted.",
    components=(
        Component("employment", "Employment", {"employment_rate": 1}),
        Component("skills", "Skills", {"adult_skills": 1}),
        Component("income", "Income", {"income_rate": 1}),
    ),
    component_weights={"employment": 1, "skills": 1, "income": 1},
)

IMD_ONLY = Method(
    code="imd",
    label="IMD only",
    description="The Index of Multiple Deprivation score alone.",
    components=(Component("deprivation", "Deprivation", {"imd_score": 1}),),
    component_weights={"deprivation": 1},
)

PRESETS: dict[str, Method] = {m.code: m for m in (DERI_STYLE, EMPLOYMENT_AND_SKILLS, IMD_ONLY)}
