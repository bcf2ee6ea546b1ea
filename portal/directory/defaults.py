"""The design's default themes: life domains and the four conditions of social quality."""
from portal.directory.models import ThemeGroup

DEFAULT_THEMES = [
    # key, group, Dutch, English
    ("money_debts", ThemeGroup.LIFE_DOMAIN, "Geld en schulden", "Money and debts"),
    ("housing", ThemeGroup.LIFE_DOMAIN, "Wonen", "Housing"),
    ("work_income", ThemeGroup.LIFE_DOMAIN, "Werk en inkomen", "Work and income"),
    ("education", ThemeGroup.LIFE_DOMAIN, "Onderwijs", "Education"),
    ("health", ThemeGroup.LIFE_DOMAIN, "Gezondheid", "Health"),
    ("letters_contact", ThemeGroup.LIFE_DOMAIN, "Brieven en contact met instanties",
     "Letters and contact with institutions"),
    ("schemes_allowances", ThemeGroup.LIFE_DOMAIN, "Regelingen en toeslagen",
     "Schemes and allowances"),
    ("social_contacts", ThemeGroup.LIFE_DOMAIN, "Sociale contacten", "Social contacts"),
    ("other", ThemeGroup.LIFE_DOMAIN, "Overig", "Other"),
    ("socio_economic_security", ThemeGroup.SOCIAL_QUALITY, "Sociaaleconomische zekerheid",
     "Socio-economic security"),
    ("social_inclusion", ThemeGroup.SOCIAL_QUALITY, "Sociale inclusie", "Social inclusion"),
    ("social_empowerment", ThemeGroup.SOCIAL_QUALITY, "Sociale empowerment",
     "Social empowerment"),
    ("social_cohesion", ThemeGroup.SOCIAL_QUALITY, "Sociale cohesie", "Social cohesion"),
]
