"""Synthetic Latvian names and places for demo data. Every diacritic letter occurs: ā č ē ģ ī ķ ļ ņ š ū ž."""

# (male form, female form, weight): Bērziņš is the most common Latvian surname, so it weighs most.
SURNAMES = [
    ("Bērziņš", "Bērziņa", 12), ("Kalniņš", "Kalniņa", 9), ("Ozoliņš", "Ozoliņa", 8), ("Jansons", "Jansone", 8),
    ("Ozols", "Ozola", 7), ("Liepiņš", "Liepiņa", 7), ("Krūmiņš", "Krūmiņa", 6), ("Balodis", "Balode", 6),
    ("Eglītis", "Eglīte", 6), ("Zariņš", "Zariņa", 5), ("Pētersons", "Pētersone", 5), ("Vītols", "Vītola", 5),
    ("Kļaviņš", "Kļaviņa", 5), ("Lācis", "Lāce", 4), ("Siliņš", "Siliņa", 4), ("Vanags", "Vanaga", 4),
    ("Kārkliņš", "Kārkliņa", 4), ("Jēkabsons", "Jēkabsone", 4), ("Ģēģeris", "Ģēģere", 2), ("Šmits", "Šmite", 3),
    ("Žagars", "Žagare", 2), ("Ķēniņš", "Ķēniņa", 2), ("Čakste", "Čakste", 2), ("Zvaigzne", "Zvaigzne", 3),
    ("Ābele", "Ābele", 2), ("Grīnbergs", "Grīnberga", 3), ("Ūdris", "Ūdre", 2), ("Ivanovs", "Ivanova", 4),
    ("Kuzņecovs", "Kuzņecova", 3), ("Dūmiņš", "Dūmiņa", 2), ("Strazdiņš", "Strazdiņa", 3), ("Rozītis", "Rozīte", 2),
    ("Āboliņš", "Āboliņa", 3), ("Dzenis", "Dzene", 2), ("Lūsis", "Lūse", 2), ("Mežals", "Mežale", 2),
]
MALE_NAMES = ["Jānis", "Andris", "Mārtiņš", "Pēteris", "Kārlis", "Juris", "Aivars", "Edgars", "Guntis", "Ģirts",
              "Valdis", "Uldis", "Raimonds", "Dāvis", "Roberts", "Emīls", "Artūrs", "Kristaps", "Ričards",
              "Oskars", "Miķelis", "Žanis", "Aleksandrs", "Imants", "Rūdolfs", "Krišjānis", "Ēriks", "Gatis"]
FEMALE_NAMES = ["Anna", "Ilze", "Līga", "Inese", "Kristīne", "Laura", "Dace", "Sandra", "Ieva", "Zane", "Anita",
                "Ināra", "Marta", "Elīza", "Sofija", "Paula", "Ērika", "Gunta", "Rasma", "Velta", "Ausma", "Dzintra",
                "Māra", "Ļuba", "Žanna", "Agnese", "Aija", "Ilona", "Skaidrīte", "Ģertrūde"]
MUNICIPALITY = "Priedkalnes novads"
# (parish, village, postcode)
PARISHES = [
    ("Ērgļu pagasts", "Ērgļi", "LV-4840"), ("Ļaudonas pagasts", "Ļaudona", "LV-4862"),
    ("Sausnējas pagasts", "Sausnēja", "LV-4873"), ("Dzērbenes pagasts", "Dzērbene", "LV-4111"),
    ("Ķeipenes pagasts", "Ķeipene", "LV-5016"), ("Žīguru pagasts", "Žīguri", "LV-4582"),
]
STREETS = ["Skolas iela", "Rīgas iela", "Dārza iela", "Pils iela", "Ezera iela", "Meža iela", "Liepu iela",
           "Stacijas iela", "Bērzu iela", "Ābeļu iela", "Saules iela", "Krasta iela"]
HOMESTEADS = ["Kalnāji", "Lejasķikuti", "Priedītes", "Ozolkalni", "Jaunzemji", "Bērzkalni", "Ūdrupes", "Strautiņi",
              "Mežmalas", "Ābeļdārzi", "Čiekuri", "Dzērves", "Vējkalni", "Lāčplēši", "Ķiršlejas", "Žagatas"]
WORKERS = [
    ("ilze.kalnina", "Ilze Kalniņa", ["social_worker"]),
    ("janis.liepins", "Jānis Liepiņš", ["social_worker"]),
    ("dace.ozola", "Dace Ozola", ["assistance_organiser"]),
    ("maris.berzins", "Māris Bērziņš", ["social_worker"]),
    ("sarmite.vitola", "Sarmīte Vītola", ["head"]),
]
CONSULTATION_TOPICS = [
    "Konsultācija par mājokļa pabalstu", "Sarunas par bērna skolas apmeklējumu", "Palīdzība iesnieguma aizpildīšanā",
    "Konsultācija par parādu par apkuri", "Sadarbība ar ģimenes ārstu", "Telefonsaruna ar bāriņtiesu",
    "Motivējoša saruna par nodarbinātību", "Informācija par aprūpes mājās pakalpojumu",
    "Sarunas par alkohola lietošanu ģimenē", "Konsultācija par trūcīgas mājsaimniecības statusu",
]
CASE_REASONS = [
    "Ģimene ar bērniem nespēj segt komunālos maksājumus; apkures parāds.",
    "Vientuļš pensionārs ar funkcionāliem traucējumiem; nepieciešama aprūpe mājās.",
    "Skolas ziņojums par bērna ilgstošiem kavējumiem.",
    "Ilgstošs bezdarbs un atkarības problēmas; ģimenē ir nepilngadīgi bērni.",
    "Persona pēc atbrīvošanas no ieslodzījuma vietas bez dzīvesvietas.",
    "Vardarbība ģimenē; policijas informācija.",
]
BENEFITS = ["gmi_benefit", "housing_benefit", "crisis_benefit", "school_start", "medical_costs", "funeral",
            "school_lunch", "transport"]
SERVICES = ["home_care", "home_care", "day_centre", "social_rehabilitation", "family_assistant", "psychologist",
            "long_term_care", "crisis_centre", "meals"]
TRAININGS = ["Vardarbības atpazīšana ģimenē", "Motivējošā intervija", "Sociālā darba metodes ar ģimenēm",
             "Personas datu aizsardzība sociālajā dienestā", "Darbs ar atkarīgiem klientiem"]
