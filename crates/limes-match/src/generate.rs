//! Synthetic multicultural people for tests, benchmarks and the evaluation harness.
//!
//! Deterministic from a seed, and random-access: gallery person `i` and probe `j` are each derived
//! from their own seeded stream, so a 10 M gallery can be generated lazily without holding it.
//! Names are drawn from per-culture lists by a power law fitted so that each culture's commonest
//! surname and given names have their share in life ([`Shares`]: NGUYEN 38 % of Vietnamese, a
//! German surname about 1 %), so that common names collide as often as in life and more in some
//! cultures than in others, with a long tail composed from culture-typical parts. Probes are
//! variants of gallery people
//! (transliteration, order swap, typo, partial date, missing middle name, date slips, initials)
//! or people with no true match: namesakes of a gallery person with a clearly different birth
//! date, and strangers drawn from the same distributions.
//!
//! This generator is not the judge of the matcher; held-out data and FEBRL are.

use limes_model::{DocumentRef, Identity, NameVariant, PartialDate, Sex};

/// A small, fast, seedable PRNG (SplitMix64): reproducible across platforms and versions.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    /// A stream for one (seed, purpose, index) triple.
    pub fn stream(seed: u64, purpose: u64, index: u64) -> Self {
        let mut r = Self(seed ^ purpose.wrapping_mul(0xA24B_AED4_963E_E407));
        r.0 ^= index.wrapping_mul(0x9FB2_1C65_1E98_DF25);
        r.next_u64();
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }
    /// True with probability p.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    /// Zipf-like pick of an index in 0..n: rank r has weight 1/(r+1) (nationalities within a
    /// culture; names use [`Rng::power_law`] fitted to their shares in life).
    pub fn zipf(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        // Inverse CDF of the continuous 1/x law on [1, n+1).
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let x = ((n as f64 + 1.0).ln() * u).exp();
        (x as usize).saturating_sub(1).min(n - 1)
    }
    /// Pick of an index in 0..n from a power law: rank r has weight about 1/(r+1)^exponent
    /// (1 is [`Rng::zipf`], 0 uniform).
    pub fn power_law(&mut self, n: usize, exponent: f64) -> usize {
        if n <= 1 {
            return 0;
        }
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        // Inverse CDF of the continuous law x^-exponent on [1, n+1).
        let a = 1.0 - exponent;
        let x = if a.abs() < 1e-9 {
            ((n as f64 + 1.0).ln() * u).exp()
        } else {
            (1.0 + u * ((n as f64 + 1.0).powf(a) - 1.0)).powf(1.0 / a)
        };
        (x as usize).saturating_sub(1).min(n - 1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

/// A name culture: Zipf-ordered name lists whose entries are `written|variant|variant` groups,
/// parts for the long tail, and how its names vary between records.
pub struct Culture {
    pub name: &'static str,
    pub nationalities: &'static [&'static str],
    surnames: &'static [&'static str],
    male: &'static [&'static str],
    female: &'static [&'static str],
    /// Middle names written before the given name proper (Vietnamese VĂN, THỊ), male and
    /// female, drawn independently of it; empty where the culture has none.
    middle_male: &'static [&'static str],
    middle_female: &'static [&'static str],
    tail_heads: &'static [&'static str],
    tail_ends: &'static [&'static str],
    script: Script,
    /// Share of people with a second given name.
    second_given: f64,
    /// Family name written first in the culture (order swaps more likely).
    family_first: bool,
    /// How common the commonest names are in life; each list's frequency law is fitted to them.
    shares: Shares,
}

/// Shares in life of a culture's commonest names, rounded from public name statistics (the same
/// sources as [`crate::frequency`]'s table: NGUYEN 38 %, WANG and LI about 7 %, YILMAZ 4 %,
/// KUMAR and SINGH about 5 % among Indian names abroad, GARCIA 3 %, most European surnames about
/// 1 %; the commonest given name about 3 % of one sex, more where naming customs concentrate it:
/// MOHAMMED and its spellings about 12 % of Arab men, GEORGIOS and MARIA about 8 and 10 % of
/// Greeks, ALEKSANDR and ELENA about 7 and 6 % of Russians, JOSÉ and MARÍA as the first of two
/// given names about 10 and 15 % of Spaniards; VĂN about half of Vietnamese men and THỊ most
/// women).
///
/// Why: the lists are short (20 to 80 names), and a 1/rank law over them made the commonest name
/// 11–28 % of its culture (MÜLLER 11 % of Germans, LARS 23 % of Swedish men), so that exact
/// namesakes were some fifty times commoner than in life and drove most false hits on no-match
/// probes; each culture's share of them followed its list lengths, not its naming customs.
#[derive(Clone, Copy, Debug)]
struct Shares {
    /// The commonest surname's share of the culture's people, composed tail names included.
    surname: f64,
    /// The commonest given name's share of men and of women.
    male: f64,
    female: f64,
    /// The commonest middle name's share of men and of women (VĂN, THỊ), where there are any.
    middle: (f64, f64),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Pinyin,
}

/// The cultures generated, in a fixed order (gallery person `i` belongs to culture `i % len`).
pub static CULTURES: &[Culture] = &[
    Culture {
        name: "german",
        nationalities: &["DEU", "AUT", "CHE"],
        surnames: &[
            "Müller|Mueller|Muller",
            "Schmidt|Schmitt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer|Meier|Maier|Mayer",
            "Wagner",
            "Becker",
            "Schulz|Schultz",
            "Hoffmann|Hofmann",
            "Schäfer|Schaefer|Schafer",
            "Koch",
            "Bauer",
            "Richter",
            "Klein",
            "Wolf|Wolff",
            "Schröder|Schroeder|Schroder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger|Krueger|Kruger",
            "Hartmann",
            "Lange",
            "Werner",
            "Krause",
            "Lehmann",
            "Köhler|Koehler|Kohler",
            "Herrmann",
            "König|Koenig|Konig",
            "Walter",
            "Huber",
            "Kaiser",
            "Fuchs",
            "Peters",
            "Scholz",
            "Möller|Moeller|Moller",
            "Weiß|Weiss",
            "Jung",
            "Hahn",
            "Vogel",
            "Friedrich",
            "Keller",
            "Günther|Guenther|Gunther",
            "Berger",
            "Roth",
            "Beck",
            "Lorenz",
            "Baumann",
            "Jäger|Jaeger|Jager",
            "Groß|Gross",
        ],
        male: &[
            "Peter",
            "Michael",
            "Thomas",
            "Andreas",
            "Wolfgang",
            "Klaus",
            "Jürgen|Juergen|Jurgen",
            "Stefan|Stephan",
            "Christian",
            "Uwe",
            "Hans",
            "Frank",
            "Bernd",
            "Matthias",
            "Jörg|Joerg|Jorg",
            "Alexander",
            "Dieter",
            "Markus|Marcus",
            "Sebastian",
            "Lukas|Lucas",
            "Jonas",
            "Felix",
            "Maximilian",
            "Günter|Guenter|Gunter",
            "Horst",
            "Tobias",
            "Florian",
            "Dirk",
            "Karl|Carl",
            "Friedrich",
        ],
        female: &[
            "Ursula",
            "Sabine",
            "Monika",
            "Petra",
            "Claudia",
            "Andrea",
            "Susanne",
            "Birgit",
            "Gabriele",
            "Katharina|Catharina",
            "Julia",
            "Anna",
            "Lena",
            "Laura",
            "Sarah|Sara",
            "Jutta",
            "Renate",
            "Brigitte",
            "Karin|Carin",
            "Heike",
            "Sandra",
            "Nicole",
            "Stefanie|Stephanie",
            "Christine",
            "Anja",
            "Maria",
            "Elke",
            "Sophie|Sofie",
            "Hannah|Hanna",
            "Jülide",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Stein", "Rosen", "Ehren", "Blum", "Falken", "Linden", "Eichen", "Kirch", "Wald",
            "Brunn", "Hohen", "Alt", "Lichten", "Grün", "Weiden", "Schön", "Mühl", "Hirsch",
            "Adler", "Tann",
        ],
        tail_ends: &[
            "berg", "feld", "bach", "hausen", "mann", "thal", "hof", "stein", "brunner", "dorf",
            "meier", "huber", "inger", "acker", "wald",
        ],
        script: Script::Latin,
        second_given: 0.35,
        family_first: false,
        shares: Shares {
            surname: 0.01,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "polish",
        nationalities: &["POL"],
        surnames: &[
            "Nowak",
            "Kowalski|Kowalsky",
            "Wiśniewski|Wisniewski",
            "Wójcik|Wojcik",
            "Kowalczyk",
            "Kamiński|Kaminski",
            "Lewandowski",
            "Zieliński|Zielinski",
            "Szymański|Szymanski",
            "Woźniak|Wozniak",
            "Dąbrowski|Dabrowski",
            "Kozłowski|Kozlowski",
            "Jankowski",
            "Mazur",
            "Wojciechowski",
            "Kwiatkowski",
            "Krawczyk",
            "Kaczmarek",
            "Piotrowski",
            "Grabowski",
            "Zając|Zajac",
            "Pawłowski|Pawlowski",
            "Michalski",
            "Król|Krol",
            "Wieczorek",
            "Jabłoński|Jablonski",
            "Wróbel|Wrobel",
            "Majewski",
            "Olszewski",
            "Stępień|Stepien",
            "Malinowski",
            "Jaworski",
            "Adamczyk",
            "Dudek",
            "Nowicki",
            "Pawlak",
            "Górski|Gorski",
            "Witkowski",
            "Walczak",
            "Sikora",
            "Zalewski",
            "Wróblewski|Wroblewski",
            "Jasiński|Jasinski",
            "Wawrzyniak",
            "Sadowski",
            "Bąk|Bak",
            "Chmielewski",
            "Włodarczyk|Wlodarczyk",
            "Borkowski",
            "Czarnecki",
            "Sawicki",
            "Sokołowski|Sokolowski",
            "Urbański|Urbanski",
            "Kubiak",
            "Maciejewski",
            "Szczepański|Szczepanski",
            "Kucharski",
            "Wilk",
            "Kalinowski",
            "Lis",
            "Mazurek",
            "Wysocki",
            "Adamski",
            "Kaźmierczak|Kazmierczak",
            "Wasilewski",
            "Sobczak",
            "Czerwiński|Czerwinski",
            "Andrzejewski",
            "Cieślak|Cieslak",
            "Głowacki|Glowacki",
            "Zakrzewski",
            "Kołodziej|Kolodziej",
            "Sikorski",
            "Krajewski",
            "Gajewski",
            "Szewczyk",
            "Ostrowski",
            "Baran",
            "Tomaszewski",
            "Pietrzak",
        ],
        male: &[
            "Piotr",
            "Krzysztof",
            "Andrzej",
            "Tomasz",
            "Paweł|Pawel",
            "Jan",
            "Michał|Michal",
            "Marcin",
            "Stanisław|Stanislaw",
            "Jakub",
            "Adam",
            "Marek",
            "Łukasz|Lukasz",
            "Grzegorz",
            "Mateusz",
            "Wojciech",
            "Mariusz",
            "Dariusz",
            "Zbigniew",
            "Jerzy",
            "Tadeusz",
            "Ryszard",
            "Kazimierz",
            "Józef|Jozef",
            "Bartosz",
            "Kamil",
            "Robert",
            "Sławomir|Slawomir",
            "Henryk",
            "Roman",
            "Jacek",
            "Kacper",
            "Szymon",
            "Filip",
            "Dawid",
            "Rafał|Rafal",
            "Przemysław|Przemyslaw",
            "Sebastian",
            "Damian",
            "Artur",
        ],
        female: &[
            "Anna",
            "Maria",
            "Katarzyna",
            "Małgorzata|Malgorzata",
            "Agnieszka",
            "Barbara",
            "Ewa",
            "Krystyna",
            "Magdalena",
            "Elżbieta|Elzbieta",
            "Joanna",
            "Aleksandra",
            "Zofia",
            "Monika",
            "Teresa",
            "Danuta",
            "Natalia",
            "Karolina",
            "Marta",
            "Beata",
            "Halina",
            "Irena",
            "Jadwiga",
            "Janina",
            "Grażyna|Grazyna",
            "Bożena|Bozena",
            "Urszula",
            "Renata",
            "Dorota",
            "Iwona",
            "Jolanta",
            "Wiesława|Wieslawa",
            "Julia",
            "Zuzanna",
            "Paulina",
            "Justyna",
            "Patrycja",
            "Alicja",
            "Weronika",
            "Sylwia",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Kowal", "Grab", "Les", "Sob", "Wil", "Kras", "Bor", "Dzied", "Piasec", "Zawadz",
            "Chmiel", "Gołęb", "Sadow", "Brzez", "Ostrow", "Kur", "Rut", "Mroz", "Lip", "Czarn",
        ],
        tail_ends: &[
            "ski", "owski", "ewski", "icz", "iewicz", "czyk", "ak", "ek", "iński", "ecki",
        ],
        script: Script::Latin,
        second_given: 0.2,
        family_first: false,
        shares: Shares {
            surname: 0.01,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "east_slavic",
        nationalities: &["RUS", "UKR", "BLR"],
        surnames: &[
            "Иванов",
            "Смирнов",
            "Кузнецов",
            "Попов",
            "Васильев",
            "Петров",
            "Соколов",
            "Михайлов",
            "Новиков",
            "Фёдоров",
            "Морозов",
            "Волков",
            "Алексеев",
            "Лебедев",
            "Семёнов",
            "Егоров",
            "Павлов",
            "Козлов",
            "Степанов",
            "Николаев",
            "Шевченко",
            "Бондаренко",
            "Коваленко",
            "Бойко",
            "Ткаченко",
            "Кравченко",
            "Коваль",
            "Олейник",
            "Шевчук",
            "Поляков",
            "Мельник",
            "Зайцев",
            "Щербаков",
            "Жуков",
            "Чернов",
            "Юдин",
            "Яковлев",
            "Харченко",
            "Журавлёв",
            "Соловьёв",
            "Орлов",
            "Макаров",
            "Андреев",
            "Ковалёв",
            "Ильин",
            "Гусев",
            "Титов",
            "Кузьмин",
            "Кудрявцев",
            "Баранов",
            "Куликов",
            "Алексеенко",
            "Беляев",
            "Тарасов",
            "Белов",
            "Комаров",
            "Киселёв",
            "Медведев",
            "Антонов",
            "Тимофеев",
            "Никитин",
            "Сорокин",
            "Романов",
            "Захаров",
            "Борисов",
            "Королёв",
            "Герасимов",
            "Пономаренко",
            "Марченко",
            "Лысенко",
            "Руденко",
            "Савченко",
            "Петренко",
            "Клименко",
            "Мороз",
            "Кравчук",
            "Гончаренко",
            "Ковальчук",
            "Литвиненко",
            "Карпенко",
        ],
        male: &[
            "Александр",
            "Сергей",
            "Дмитрий",
            "Андрей",
            "Алексей",
            "Максим",
            "Евгений",
            "Иван",
            "Михаил",
            "Николай",
            "Владимир",
            "Юрий",
            "Олег",
            "Виктор",
            "Артём",
            "Тарас",
            "Богдан",
            "Игорь",
            "Вячеслав",
            "Григорий",
            "Павел",
            "Роман",
            "Константин",
            "Антон",
            "Станислав",
            "Виталий",
            "Василий",
            "Пётр",
            "Валерий",
            "Геннадий",
            "Анатолий",
            "Борис",
            "Кирилл",
            "Никита",
            "Степан",
            "Фёдор",
            "Егор",
            "Илья",
            "Денис",
            "Руслан",
            "Ярослав",
            "Остап",
            "Леонид",
            "Валентин",
            "Тимур",
        ],
        female: &[
            "Елена",
            "Ольга",
            "Наталья",
            "Татьяна",
            "Ирина",
            "Светлана",
            "Анна",
            "Мария",
            "Екатерина",
            "Юлия",
            "Оксана",
            "Людмила",
            "Анастасия",
            "Дарья",
            "Ксения",
            "Галина",
            "Жанна",
            "Евгения",
            "Марина",
            "Валентина",
            "Лариса",
            "Надежда",
            "Вера",
            "Любовь",
            "Александра",
            "Виктория",
            "Полина",
            "Алина",
            "Кристина",
            "Валерия",
            "Софья",
            "Яна",
            "Алёна",
            "Лилия",
            "Зоя",
            "Нина",
            "Тамара",
            "Раиса",
            "Лариса",
            "Олеся",
            "Ганна",
            "Мирослава",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Бел",
            "Гор",
            "Зв",
            "Кур",
            "Лыс",
            "Мак",
            "Ник",
            "Ос",
            "Руд",
            "Сав",
            "Тимоф",
            "Фил",
            "Хом",
            "Чуд",
            "Шап",
            "Щук",
            "Яр",
            "Гриш",
            "Дем",
            "Кирил",
        ],
        tail_ends: &[
            "ов", "ин", "енко", "ук", "ский", "ев", "ич", "юк", "чук", "ак",
        ],
        script: Script::Cyrillic,
        second_given: 0.0,
        family_first: false,
        shares: Shares {
            surname: 0.01,
            male: 0.07,
            female: 0.06,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "arabic",
        nationalities: &[
            "EGY", "SYR", "IRQ", "MAR", "DZA", "TUN", "JOR", "LBN", "SAU",
        ],
        surnames: &[
            "Al-Masri|Almasri|El Masri|Masri",
            "Haddad",
            "Khalil|Khaleel",
            "Hassan|Hasan",
            "Ibrahim|Ebrahim",
            "Mansour|Mansur",
            "Saleh|Salih",
            "Nasser|Nasir|Naser",
            "Abdullah|Abdallah",
            "Hamdan",
            "Darwish|Derwich|Darwiche",
            "Khoury|Khouri|Khuri",
            "Yassin|Yasin|Yacine",
            "Othman|Osman|Uthman",
            "Suleiman|Sulaiman|Soliman",
            "Abbas",
            "Aziz",
            "Rahman",
            "Al-Rashid|Alrashid|El-Rashid|Rashid",
            "Farouk|Faruq|Farouq",
            "Jaber|Jabir",
            "Hamid|Hamed",
            "Ayoub|Ayyub|Ayub",
            "Mahmoud|Mahmud|Mahmood",
            "Mustafa|Mostafa|Moustafa",
            "Youssef|Yusuf|Yousef|Yussef",
            "Ali",
            "Omar|Umar",
            "Said|Saeed|Saïd",
            "Abdel Aziz|Abdelaziz|Abdul Aziz",
            "Bakr|Bakir",
            "Hussein|Husain|Hussain|Husayn",
            "Ben Ali|Benali",
            "Abdelrahman|Abd al-Rahman|Abdulrahman",
        ],
        male: &[
            "Mohammed|Muhammad|Mohamed|Mohammad|Muhammed",
            "Ahmed|Ahmad",
            "Ali",
            "Hassan|Hasan",
            "Hussein|Husain|Hussain",
            "Omar|Umar",
            "Youssef|Yusuf|Yousef",
            "Abdullah|Abdallah",
            "Khalid|Khaled",
            "Ibrahim|Ebrahim",
            "Mahmoud|Mahmud",
            "Mustafa|Mostafa",
            "Karim|Kareem",
            "Said|Saeed",
            "Tariq|Tarek|Tareq",
            "Walid|Waleed",
            "Hamza|Hamzah",
            "Bilal",
            "Nabil|Nabeel",
            "Jamal|Gamal",
            "Samir|Sameer",
            "Rami",
            "Faisal|Faysal",
            "Osama|Usama",
            "Abdel Rahman|Abdelrahman|Abdulrahman",
        ],
        female: &[
            "Fatima|Fatma|Fatimah",
            "Aisha|Aicha|Ayesha|Aysha",
            "Mariam|Maryam|Miriam",
            "Khadija|Khadidja|Khadijah",
            "Nour|Noor|Nur",
            "Layla|Leila|Laila",
            "Amina|Aminah",
            "Zainab|Zeinab|Zaynab",
            "Huda|Houda",
            "Rania",
            "Salma",
            "Yasmin|Yasmine",
            "Hana|Hanaa",
            "Samira|Sameera",
            "Reem|Rim",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Al-Ja", "Al-Ha", "Ab", "Kha", "Shar", "Bar", "Qas", "Naj", "Tah", "Zah", "Sab",
            "Ghan", "Mur", "Dab", "Ras",
        ],
        tail_ends: &[
            "bouri", "zimi", "dawi", "jani", "timi", "rawi", "iri", "kawi", "sani", "lahi",
        ],
        script: Script::Latin,
        second_given: 0.5,
        family_first: false,
        shares: Shares {
            surname: 0.05,
            male: 0.12,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "turkish",
        nationalities: &["TUR"],
        surnames: &[
            "Yılmaz|Yilmaz",
            "Kaya",
            "Demir",
            "Şahin|Sahin",
            "Çelik|Celik",
            "Yıldız|Yildiz",
            "Yıldırım|Yildirim",
            "Öztürk|Ozturk|Oeztuerk",
            "Aydın|Aydin",
            "Özdemir|Ozdemir|Oezdemir",
            "Arslan|Aslan",
            "Doğan|Dogan",
            "Kılıç|Kilic",
            "Çetin|Cetin",
            "Kara",
            "Koç|Koc",
            "Kurt",
            "Özkan|Ozkan",
            "Şimşek|Simsek",
            "Polat",
            "Korkmaz",
            "Erdoğan|Erdogan",
            "Güneş|Gunes|Guenes",
            "Aksoy",
            "Tekin",
            "Uçar|Ucar",
            "Bulut",
            "Keskin",
            "Avcı|Avci",
            "Ateş|Ates",
            "Yalçın|Yalcin",
            "Yavuz",
            "Güler|Guler",
            "Aktaş|Aktas",
            "Özer|Ozer",
            "Kaplan",
            "Çakır|Cakir",
            "Sarı|Sari",
            "Işık|Isik",
            "Yüksel|Yuksel",
            "Acar",
            "Erdem",
            "Çiftçi|Ciftci",
            "Turan",
            "Tunç|Tunc",
            "Karakaya",
            "Bozkurt",
            "Uysal",
            "Güven|Guven",
            "Sönmez|Sonmez",
            "Demirci",
            "Altun",
            "Coşkun|Coskun",
            "Duman",
            "Önal|Onal",
            "Aydoğan|Aydogan",
            "Kartal",
            "Uslu",
        ],
        male: &[
            "Mehmet|Mehmed",
            "Mustafa",
            "Ahmet|Ahmed",
            "Ali",
            "Hüseyin|Huseyin|Hueseyin",
            "Hasan",
            "İbrahim|Ibrahim",
            "Murat",
            "Ömer|Omer|Oemer",
            "Emre",
            "Yusuf",
            "Burak",
            "Fatih",
            "Kemal",
            "Osman",
            "Recep",
            "Halil",
            "Cem",
            "Serkan",
            "Volkan",
            "Hakan",
            "Gökhan|Gokhan",
            "Ercan",
            "Erkan",
            "Kadir",
            "Ramazan",
            "Süleyman|Suleyman",
            "İsmail|Ismail",
            "Salih",
            "Orhan",
            "Cengiz",
            "Tuncay",
            "Onur",
            "Uğur|Ugur",
            "Barış|Baris",
            "Can",
            "Enes",
            "Furkan",
            "Kerem",
            "Serdar",
            "Sinan",
            "Tolga",
            "Levent",
            "Yasin",
        ],
        female: &[
            "Fatma",
            "Ayşe|Ayse",
            "Emine",
            "Hatice",
            "Zeynep",
            "Elif",
            "Meryem",
            "Şerife|Serife",
            "Zehra",
            "Esra",
            "Özlem|Ozlem|Oezlem",
            "Büşra|Busra",
            "Merve",
            "Sultan",
            "Hülya|Hulya",
            "Gül|Gul",
            "Sevgi",
            "Dilek",
            "Gamze",
            "Tuğba|Tugba",
            "Yasemin",
            "Şeyma|Seyma",
            "Kübra|Kubra",
            "Hacer",
            "Leyla",
            "Nurcan",
            "Derya",
            "Sibel",
            "Songül|Songul",
            "Aysel",
            "Filiz",
            "Ebru",
            "Pınar|Pinar",
            "Gizem",
            "Selin",
            "Ceren",
            "Nazlı|Nazli",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Ak", "Kara", "Gök", "Yurt", "Er", "Öz", "Bal", "Tan", "Ay", "Demir", "Kök", "Gül",
            "Şen", "Taş", "Uz",
        ],
        tail_ends: &[
            "oğlu", "can", "soy", "bay", "türk", "han", "er", "kaya", "tepe", "dağ",
        ],
        script: Script::Latin,
        second_given: 0.15,
        family_first: false,
        shares: Shares {
            surname: 0.04,
            male: 0.04,
            female: 0.04,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "chinese",
        nationalities: &["CHN", "TWN", "SGP"],
        surnames: &[
            "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
            "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie",
            "Song", "Tang", "Deng", "Cao", "Zhong", "Feng", "Qian",
        ],
        // Given names: most are two syllables, written as one word in pinyin; the hyphen marks
        // the syllables for Wade–Giles, which writes them apart (Zhi-wei → Chih-wei).
        male: &[
            "Wei",
            "Qiang",
            "Lei",
            "Jun",
            "Yong",
            "Jie",
            "Tao",
            "Ming",
            "Chao",
            "Gang",
            "Hao",
            "Bin",
            "Peng",
            "Zhi-wei",
            "Jian-guo",
            "Xiao-ming",
            "Hao-ran",
            "Yu",
            "Bo",
            "Dong",
            "Jian-hua",
            "Jian-jun",
            "Guo-qiang",
            "Zhi-qiang",
            "Wen-bin",
            "Hai-tao",
            "Xiao-long",
            "Jun-jie",
            "Yu-hang",
            "Zi-hao",
            "Yi-fan",
            "Hao-yu",
            "Zhi-hao",
            "Jia-hao",
            "Wen-jie",
            "Jian-ping",
            "Guo-hua",
            "Zhen-yu",
            "Cheng-long",
            "Jian-xin",
            "De-ming",
            "Shu-wen",
            "Yong-gang",
            "Zhi-gang",
            "Hong-wei",
            "Jian-feng",
            "Xue-feng",
            "Li-wei",
            "Zhi-ming",
            "Wei-dong",
            "Xiao-dong",
            "Chun-lin",
            "Tian-yu",
            "Ming-hui",
            "Zhi-yong",
            "Guo-liang",
            "Jin-long",
            "Kai",
            "Fei",
            "Zhong-hua",
        ],
        female: &[
            "Fang",
            "Min",
            "Jing",
            "Li",
            "Yan",
            "Xiu-ying",
            "Xia",
            "Hui",
            "Ping",
            "Hong",
            "Xin",
            "Lan",
            "Juan",
            "Yun",
            "Mei",
            "Ting",
            "Xiao-li",
            "Qing",
            "Na",
            "Ling",
            "Gui-ying",
            "Xiu-lan",
            "Yu-lan",
            "Li-na",
            "Xiao-yan",
            "Hui-min",
            "Shu-fen",
            "Mei-ling",
            "Xiao-hong",
            "Li-hua",
            "Yan-ping",
            "Hai-yan",
            "Jing-jing",
            "Li-juan",
            "Xue-mei",
            "Chun-mei",
            "Yu-mei",
            "Ya-ting",
            "Si-yu",
            "Zi-han",
            "Yu-xuan",
            "Xin-yi",
            "Jia-yi",
            "Yi-nuo",
            "Shu-hua",
            "Hong-mei",
            "Li-ping",
            "Jing-yi",
            "Wen-jing",
            "Xiao-mei",
            "Ai-ling",
            "Pei-pei",
            "Qian",
            "Rui",
            "Yue",
            "Lin",
            "Ying",
            "Dan",
            "Hui-fang",
            "Chun-hong",
        ],
        middle_male: &[],
        middle_female: &[],
        // The surname stock is closed; these are the two syllables of composed given names
        // (parents combine characters freely, so most two-syllable names are not in any list).
        tail_heads: &[
            "Zhi", "Jian", "Xiao", "Guo", "Hai", "Yong", "Qi", "Shu", "Wen", "Ya", "Hong", "Li",
            "Chun", "De", "Jia", "Jin", "Ming", "Rui", "Tian", "Xin", "Yu", "Zi", "Hui", "Jing",
        ],
        tail_ends: &[
            "hua", "ming", "ling", "qiang", "feng", "jun", "yi", "xuan", "rong", "zhen", "wei",
            "hao", "lin", "yan", "ping", "jie", "hui", "mei", "bo", "tao", "long", "xia", "fang",
            "yu",
        ],
        script: Script::Pinyin,
        second_given: 0.0,
        family_first: true,
        shares: Shares {
            surname: 0.07,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "vietnamese",
        nationalities: &["VNM"],
        surnames: &[
            "Nguyễn|Nguyen",
            "Trần|Tran",
            "Lê|Le",
            "Phạm|Pham",
            "Hoàng|Hoang",
            "Huỳnh|Huynh",
            "Phan",
            "Vũ|Vu",
            "Võ|Vo",
            "Đặng|Dang",
            "Bùi|Bui",
            "Đỗ|Do",
            "Hồ|Ho",
            "Ngô|Ngo",
            "Dương|Duong",
            "Lý|Ly",
        ],
        // Given names as written on Vietnamese documents: a middle name (VĂN for many men, THỊ
        // for most women, then a few dozen others) and the given name proper, drawn
        // independently, as parents choose them.
        male: &[
            "Hùng",
            "Dũng",
            "Nam",
            "Anh",
            "Tuấn",
            "Đức",
            "Long",
            "Hải",
            "Huy",
            "Khoa",
            "Thắng",
            "Trọng",
            "Trường",
            "Toàn",
            "Hiếu",
            "Bình",
            "Sơn",
            "Tài",
            "Cường",
            "Kiên",
            "Khánh",
            "Bảo",
            "Phúc",
            "Lộc",
            "Nghĩa",
            "Mạnh",
            "Quyết",
            "Phong",
            "Minh",
            "Quân",
            "Nhật",
            "Tùng",
            "Lâm",
            "Hoàng",
            "Thành",
            "Tâm",
            "Vinh",
            "Đạt",
            "Tiến",
            "Hòa",
            "Thịnh",
            "Hưng",
            "Lực",
            "Quý",
            "Sang",
            "Tú",
            "Việt",
            "Thái",
            "Tân",
            "Trung",
            "Hiệp",
            "Duy",
            "Kiệt",
            "Luân",
            "Nhân",
            "Phát",
            "Thuận",
            "Vũ",
            "Hậu",
            "Công",
        ],
        female: &[
            "Hương",
            "Lan",
            "Mai",
            "Hoa",
            "Thu",
            "Anh",
            "Trang",
            "Hạnh",
            "Ngọc",
            "Thảo",
            "Linh",
            "Châu",
            "Hà",
            "Nhung",
            "Yến",
            "Thủy",
            "Ngân",
            "Dung",
            "Huyền",
            "Loan",
            "Phương",
            "Vân",
            "Nga",
            "Hân",
            "Thư",
            "Tuyết",
            "Hồng",
            "Bích",
            "Duyên",
            "Vy",
            "Chi",
            "Giang",
            "Hằng",
            "Hiền",
            "Hoài",
            "Khánh",
            "Lệ",
            "Liên",
            "Ly",
            "My",
            "Nhi",
            "Oanh",
            "Quyên",
            "Quỳnh",
            "Tâm",
            "Thanh",
            "Thơ",
            "Thúy",
            "Trâm",
            "Uyên",
            "Xuân",
            "Diệp",
            "Diễm",
            "Kiều",
            "Lam",
            "Mỹ",
            "Nguyệt",
            "Phượng",
            "Trinh",
        ],
        middle_male: &[
            "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Quốc", "Công", "Đình",
            "Trung", "Anh", "Tuấn", "Hoàng", "Duy", "Gia", "Bảo",
        ],
        middle_female: &[
            "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Hồng", "Thúy", "Bảo", "Khánh",
            "Mỹ", "Quỳnh", "Hải", "Bích", "Diệu",
        ],
        tail_heads: &[
            "Văn", "Thị", "Minh", "Ngọc", "Đình", "Hữu", "Quốc", "Xuân", "Thanh", "Kim",
        ],
        tail_ends: &[
            "An", "Bình", "Cường", "Đạt", "Giang", "Hiếu", "Khoa", "Lộc", "Nhân", "Sơn", "Tâm",
            "Vinh",
        ],
        script: Script::Latin,
        second_given: 0.0,
        family_first: true,
        shares: Shares {
            surname: 0.38,
            male: 0.03,
            female: 0.03,
            middle: (0.5, 0.6),
        },
    },
    Culture {
        name: "iberian",
        nationalities: &["ESP", "PRT", "MEX", "BRA", "COL", "ARG"],
        surnames: &[
            "García|Garcia",
            "Fernández|Fernandez",
            "González|Gonzalez",
            "Rodríguez|Rodriguez",
            "López|Lopez",
            "Martínez|Martinez",
            "Sánchez|Sanchez",
            "Pérez|Perez",
            "Gómez|Gomez",
            "Martín|Martin",
            "Jiménez|Jimenez",
            "Ruiz",
            "Hernández|Hernandez",
            "Díaz|Diaz",
            "Moreno",
            "Álvarez|Alvarez",
            "Muñoz|Munoz",
            "Romero",
            // One name, written with its particle apart, onto it, or without it, as records do.
            "Silva|da Silva|Dasilva",
            "Santos|dos Santos|Dossantos",
            "Oliveira",
            "Souza|Sousa",
            "Pereira",
            "Costa",
            "Ferreira",
            "Almeida",
            "Vázquez|Vazquez|Vasquez",
            "Castro",
            "Ramos",
            "Torres",
            "Navarro|Nabarro",
            "Domínguez|Dominguez",
            "Gil",
            "Serrano",
            "Blanco",
            "Molina",
            "Morales",
            "Suárez|Suarez",
            "Ortega",
            "Delgado",
            "Castillo",
            "Ortiz",
            "Rubio",
            "Marín|Marin",
            "Sanz",
            "Iglesias",
            "Medina",
            "Garrido",
            "Cortés|Cortes",
            "Santana",
            "Rocha",
            "Carvalho|Carvallo",
            "Gomes",
            "Martins",
            "Barbosa",
            "Ribeiro",
            "Alves",
            "Lima",
            "Araújo|Araujo",
        ],
        male: &[
            "José|Jose",
            "Juan",
            "Antonio",
            "Manuel",
            "Francisco",
            "Javier|Xavier",
            "Carlos",
            "David",
            "Luis|Luiz",
            "João|Joao",
            "Pedro",
            "Miguel",
            "Alejandro",
            "Diego",
            "Pablo",
            "Rafael",
            "Sergio",
            "Fernando",
            "Jorge",
            "Andrés|Andres",
            "Ángel|Angel",
            "Alberto",
            "Álvaro|Alvaro",
            "Adrián|Adrian",
            "Raúl|Raul",
            "Enrique",
            "Ramón|Ramon",
            "Vicente",
            "Joaquín|Joaquin",
            "Ignacio",
            "Eduardo",
            "Óscar|Oscar",
            "Rubén|Ruben",
            "Gonzalo",
            "Hugo",
            "Marcos",
            "Tiago",
            "Rui",
            "Paulo",
            "Gustavo",
            "Felipe",
            "Ricardo",
            "Roberto",
            "Mario",
            "Emilio",
        ],
        female: &[
            "María|Maria",
            "Carmen",
            "Ana",
            "Isabel",
            "Laura",
            "Lucía|Lucia",
            "Marta",
            "Sofía|Sofia",
            "Mariana",
            "Beatriz",
            "Elena",
            "Paula",
            "Cristina",
            "Raquel",
            "Pilar",
            "Rosa",
            "Teresa",
            "Gabriela",
            "Andrea",
            "Claudia",
            "Silvia",
            "Patricia",
            "Sara",
            "Irene",
            "Alba",
            "Nuria",
            "Rocío|Rocio",
            "Inés|Ines",
            "Julia",
            "Natalia",
            "Mercedes",
            "Dolores",
            "Josefa",
            "Antonia",
            "Francisca",
            "Juliana",
            "Fernanda",
            "Camila",
            "Valentina",
            "Daniela",
            "Victoria",
            "Adriana",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Villa", "Monte", "Val", "Cas", "Bel", "Ri", "Fuen", "Al", "Gal", "Mir",
        ],
        tail_ends: &[
            "lobos", "negro", "verde", "tellano", "monte", "vera", "tes", "arcón", "llano", "anda",
        ],
        script: Script::Latin,
        second_given: 0.3,
        family_first: false,
        shares: Shares {
            surname: 0.03,
            male: 0.1,
            female: 0.15,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "nigerian",
        nationalities: &["NGA"],
        surnames: &[
            "Okafor",
            "Okonkwo",
            "Adeyemi",
            "Ibrahim",
            "Bello",
            "Abubakar",
            "Musa",
            "Okeke",
            "Eze",
            "Nwosu",
            "Adebayo",
            "Ogunleye",
            "Balogun",
            "Chukwu",
            "Obi",
            "Olawale",
            "Adewale",
            "Onyeka",
            "Nnamdi",
            "Okoro",
            "Afolabi",
            "Babatunde",
            "Oyelaran",
            "Umar",
            "Danjuma",
            "Ojo",
            "Akande",
            "Emenike",
            "Uchenna",
            "Ogbonna",
            "Okoye",
            "Nwachukwu",
            "Ogundipe",
            "Adeleke",
            "Oladipo",
            "Ogunbiyi",
            "Olaniyan",
            "Ekwueme",
            "Nwankwo",
            "Okorie",
            "Ezeh",
            "Anyanwu",
            "Iwu",
            "Igwe",
            "Onuoha",
            "Aliyu",
            "Sani",
            "Garba",
            "Yakubu",
            "Lawal",
            "Suleiman",
            "Idris",
            "Adamu",
            "Bakare",
            "Fashola",
            "Ogunbanjo",
            "Oyebanji",
            "Akinola",
            "Ajayi",
            "Ogunsanya",
            "Uzoma",
            "Amadi",
            "Odukoya",
            "Ekpo",
            "Etim",
            "Bassey",
            "Effiong",
            "Okon",
            "Udoh",
            "Edet",
        ],
        male: &[
            "Chinedu",
            "Emeka",
            "Oluwaseun|Seun",
            "Adebayo",
            "Abubakar",
            "Musa",
            "Tunde|Babatunde",
            "Femi|Oluwafemi",
            "Uche",
            "Ifeanyi",
            "Chidi",
            "Kelechi",
            "Segun|Olusegun",
            "Ibrahim",
            "Yusuf",
            "Nnamdi",
            "Obinna",
            "Kunle|Akinkunle",
            "Tochukwu",
            "Godwin",
            "Olumide",
            "Adewale",
            "Ayodele",
            "Oluwatobi",
            "Damilola",
            "Chukwuemeka",
            "Ikechukwu",
            "Chibuike",
            "Nnaemeka",
            "Somtochukwu",
            "Ebuka",
            "Aliyu",
            "Sani",
            "Garba",
            "Usman",
            "Suleiman",
            "Bashir",
            "Danladi",
            "Taiwo",
            "Kehinde",
            "Akinwale",
            "Gbenga",
            "Rotimi",
            "Dayo",
            "Ademola",
            "Babajide",
            "Oladele",
            "Chijioke",
            "Uchenna",
            "Ugochukwu",
            "Emmanuel",
            "Daniel",
            "Samuel",
            "Effiong",
            "Ekene",
        ],
        female: &[
            "Ngozi",
            "Chiamaka",
            "Aisha",
            "Bukola",
            "Funmilayo|Funmi",
            "Kemi|Oluwakemi",
            "Yetunde",
            "Adaeze",
            "Nneka",
            "Blessing",
            "Amaka",
            "Folake",
            "Halima",
            "Zainab",
            "Chioma",
            "Temitope",
            "Adenike",
            "Omolara",
            "Oluwabunmi",
            "Titilayo",
            "Abimbola",
            "Bisola",
            "Ifeoma",
            "Uchechi",
            "Nkechi",
            "Obiageli",
            "Chinwe",
            "Ebere",
            "Ijeoma",
            "Amarachi",
            "Fatima",
            "Hauwa",
            "Hadiza",
            "Maryam",
            "Asabe",
            "Ladi",
            "Jummai",
            "Binta",
            "Aminat",
            "Ronke",
            "Tolulope",
            "Yewande",
            "Modupe",
            "Morenike",
            "Oyinda",
            "Esther",
            "Grace",
            "Mercy",
            "Patience",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Ade", "Olu", "Chi", "Oke", "Nwa", "Ogu", "Aki", "Ife", "Obi", "Ola", "Ayo", "Oye",
            "Eze", "Iro", "Omo",
        ],
        tail_ends: &[
            "nuga", "wole", "kwe", "dimma", "bunmi", "tola", "nna", "lade", "yemi", "chukwu",
            "bode", "tunde", "kanmi", "sola", "dele",
        ],
        script: Script::Latin,
        second_given: 0.4,
        family_first: false,
        shares: Shares {
            surname: 0.02,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "indian",
        nationalities: &["IND"],
        surnames: &[
            "Kumar",
            "Singh",
            "Sharma",
            "Patel",
            "Gupta",
            "Reddy",
            "Rao",
            "Shah",
            "Das",
            "Nair",
            "Iyer",
            "Khan",
            "Mehta",
            "Joshi",
            "Verma",
            "Agarwal|Aggarwal",
            "Chowdhury|Choudhary|Chaudhary",
            "Srinivasan",
            "Krishnan",
            "Banerjee|Bannerjee",
            "Mukherjee",
            "Pillai",
            "Menon",
            "Yadav",
            "Mishra",
            "Pandey",
            "Bhat",
            "Naidu",
            "Kulkarni",
            "Desai",
            "Saxena",
            "Chauhan",
            "Thakur",
            "Tiwari",
            "Dubey",
            "Srivastava",
            "Jain",
            "Malhotra",
            "Kapoor",
            "Bhatia",
            "Sethi",
            "Arora",
            "Ahuja",
            "Chopra",
            "Bose",
            "Ghosh",
            "Chatterjee",
            "Sen",
            "Dutta",
            "Roy",
            "Naik",
            "Patil",
            "Jadhav",
            "Pawar",
            "Shinde",
            "Iyengar",
            "Subramanian",
            "Raman",
            "Hegde",
            "Shetty",
        ],
        male: &[
            "Rahul",
            "Amit",
            "Rajesh",
            "Suresh",
            "Ramesh",
            "Deepak",
            "Vijay",
            "Arjun",
            "Venkatesh",
            "Sanjay",
            "Anil",
            "Sunil",
            "Ravi",
            "Mohammed|Mohammad",
            "Arun",
            "Manoj",
            "Prakash",
            "Ashok",
            "Vikram",
            "Harish",
            "Sandeep",
            "Rakesh",
            "Mahesh",
            "Dinesh",
            "Naresh",
            "Ganesh",
            "Santosh",
            "Sachin",
            "Nitin",
            "Vivek",
            "Alok",
            "Ajay",
            "Rohit",
            "Gaurav",
            "Kiran",
            "Mukesh",
            "Rajendra",
            "Anand",
            "Pradeep",
            "Abhishek",
            "Karthik",
            "Srinivas",
            "Balaji",
            "Naveen",
            "Yogesh",
            "Vinod",
            "Hemant",
            "Aditya",
            "Siddharth",
        ],
        female: &[
            "Priya",
            "Anjali",
            "Sunita",
            "Pooja|Puja",
            "Neha",
            "Lakshmi|Laxmi",
            "Kavita|Kavitha",
            "Deepa",
            "Meena",
            "Anita",
            "Rekha",
            "Divya",
            "Shalini",
            "Swati",
            "Aishwarya",
            "Sneha",
            "Shreya",
            "Asha",
            "Usha",
            "Radha",
            "Geeta",
            "Seema",
            "Nisha",
            "Rani",
            "Savita",
            "Suman",
            "Jyoti",
            "Poonam",
            "Preeti",
            "Rina",
            "Madhuri",
            "Kiran",
            "Bhavna",
            "Rashmi",
            "Archana",
            "Smita",
            "Vandana",
            "Pallavi",
            "Komal",
            "Payal",
            "Ritu",
            "Shweta",
            "Aarti",
            "Manisha",
            "Nandini",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Ven", "Sub", "Bal", "Ram", "Kri", "Gan", "Nat", "Siv", "Pad", "Rag",
        ],
        tail_ends: &[
            "kataraman",
            "ramanian",
            "asubramanian",
            "achandran",
            "shnamurthy",
            "esan",
            "arajan",
            "akumar",
            "manabhan",
            "havan",
        ],
        script: Script::Latin,
        second_given: 0.15,
        family_first: false,
        shares: Shares {
            surname: 0.05,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "nordic",
        nationalities: &["SWE", "NOR", "DNK", "FIN", "ISL"],
        surnames: &[
            "Johansson|Johanson",
            "Andersson|Andersen",
            "Karlsson|Carlsson",
            "Nilsson|Nielsen",
            "Eriksson|Eriksen",
            "Larsson|Larsen",
            "Olsson|Olsen",
            "Persson|Pedersen",
            "Svensson",
            "Hansen",
            "Jensen",
            "Lindqvist|Lindquist",
            "Lindström|Lindstrom|Lindstroem",
            "Bergström|Bergstrom|Bergstroem",
            "Jönsson|Jonsson",
            "Sørensen|Sorensen|Soerensen",
            "Jørgensen|Jorgensen|Joergensen",
            "Østergaard|Ostergaard|Oestergaard",
            "Åberg|Aberg|Aaberg",
            "Ødegård|Odegard|Oedegaard",
            "Virtanen",
            "Korhonen",
            "Mäkinen|Makinen|Maekinen",
            "Nieminen",
            "Gustafsson",
            "Magnusson",
            "Lund",
            "Holm",
            "Berg",
            "Dahl",
        ],
        male: &[
            "Lars",
            "Anders",
            "Erik|Eric",
            "Karl|Carl",
            "Nils",
            "Johan",
            "Per",
            "Mikael|Michael",
            "Søren|Soren|Soeren",
            "Bjørn|Bjorn|Bjoern",
            "Olof|Olov",
            "Magnus",
            "Henrik",
            "Gustav|Gustaf",
            "Jukka",
            "Mikko",
            "Sven",
            "Ola",
            "Jon",
            "Håkan|Hakan|Haakan",
        ],
        female: &[
            "Kari",
            "Karin",
            "Ingrid",
            "Anna",
            "Maria",
            "Astrid",
            "Sofia|Sophia",
            "Linnea",
            "Åsa|Asa|Aasa",
            "Sigrid",
            "Elin",
            "Maja|Maija",
            "Kristina|Christina",
            "Birgitta",
            "Hanna",
            "Liisa|Lisa",
            "Emma",
            "Frida",
            "Ida",
            "Solveig",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Sjö", "Ek", "Ström", "Lind", "Berg", "Häll", "Fors", "Björk", "Gran", "Mal", "Ny",
            "Sand",
        ],
        tail_ends: &[
            "lund", "gren", "qvist", "holm", "blad", "berg", "dahl", "man", "ström", "näs",
        ],
        script: Script::Latin,
        second_given: 0.4,
        family_first: false,
        shares: Shares {
            surname: 0.03,
            male: 0.03,
            female: 0.03,
            middle: (0.0, 0.0),
        },
    },
    Culture {
        name: "greek",
        nationalities: &["GRC", "CYP"],
        surnames: &[
            "Papadopoulos|Papadopulos",
            "Georgiou|Giorgiou",
            "Nikolaou|Nicolaou",
            "Dimitriou",
            "Papadakis",
            "Konstantinidis|Constantinidis|Konstantinides",
            "Ioannou|Yiannou",
            "Vlachos|Vlahos",
            "Angelopoulos|Aggelopoulos",
            "Oikonomou|Ikonomou|Economou",
            "Makris",
            "Christodoulou|Hristodoulou",
            "Karagiannis|Karayannis",
            "Papanikolaou",
            "Pappas",
            "Antoniou",
            "Athanasiou",
            "Alexiou",
            "Mavridis|Mavrides",
            "Kyriakou|Kiriakou",
            "Papageorgiou",
            "Papadimitriou",
            "Vasileiou",
            "Panagiotopoulos",
            "Karagiorgis",
            "Konstantinou",
            "Michailidis",
            "Theodorou",
            "Georgiadis",
            "Dimopoulos",
            "Nikolopoulos",
            "Papathanasiou",
            "Stavrou",
            "Kostopoulos",
            "Galanis",
            "Apostolou",
            "Lambrou",
            "Katsaros",
            "Panagiotou",
            "Anastasiou",
            "Markou",
            "Petrou",
            "Sotiriou",
            "Charalambous|Haralambous",
            "Christou",
            "Hadjigeorgiou|Chatzigeorgiou",
            "Evangelou",
            "Kyriacou",
            "Loizou",
            "Savva",
            "Ioannidis",
            "Pavlidis",
            "Spanos",
            "Triantafyllou|Triantafillou",
        ],
        male: &[
            "Georgios|Giorgos|Yiorgos|George",
            "Dimitrios|Dimitris",
            "Konstantinos|Constantinos|Kostas",
            "Ioannis|Giannis|Yiannis",
            "Nikolaos|Nikos",
            "Christos|Hristos",
            "Panagiotis|Panayiotis",
            "Vasileios|Vasilis|Vassilis",
            "Athanasios|Thanasis",
            "Michail|Michalis",
            "Evangelos|Vangelis",
            "Spyridon|Spiros",
            "Andreas",
            "Antonios",
            "Charalampos|Charalambos|Haralambos",
            "Stylianos|Stelios",
            "Emmanouil|Manolis",
            "Anastasios|Tasos",
            "Theodoros",
            "Stavros",
            "Alexandros",
            "Sotirios",
            "Petros",
            "Apostolos",
            "Kyriakos",
            "Efstathios",
            "Ilias",
        ],
        female: &[
            "Maria",
            "Eleni|Helen",
            "Aikaterini|Katerina|Ekaterini",
            "Vasiliki|Vaso",
            "Sofia|Sophia",
            "Angeliki|Aggeliki",
            "Georgia",
            "Dimitra",
            "Konstantina|Constantina",
            "Paraskevi|Voula",
            "Eirini|Irini|Irene",
            "Christina|Hristina",
            "Anna",
            "Ioanna",
            "Chrysoula",
            "Despoina|Despina",
            "Evangelia",
            "Kalliopi",
            "Stavroula",
            "Theodora",
            "Anastasia",
            "Panagiota|Panayiota",
            "Athanasia",
            "Fotini",
            "Alexandra",
            "Marina",
            "Zoi",
        ],
        middle_male: &[],
        middle_female: &[],
        tail_heads: &[
            "Papa",
            "Kara",
            "Chatzi|Hatzi",
            "Mavro",
            "Kalo",
            "Theo",
            "Ana",
            "Xeno",
            "Lefko",
            "Stavro",
            "Nikolo",
            "Dimo",
            "Kosto",
            "Petro",
            "Vasilo",
        ],
        tail_ends: &[
            "poulos", "idis", "akis", "ou", "oglou", "iadis", "atos", "elis", "opoulou", "inos",
            "glou", "akos", "ogiannis", "idou", "ellis",
        ],
        script: Script::Latin,
        second_given: 0.1,
        family_first: false,
        shares: Shares {
            surname: 0.01,
            male: 0.08,
            female: 0.1,
            middle: (0.0, 0.0),
        },
    },
];

/// Share of a culture's surnames composed from tail parts (rare by construction), where its
/// surname stock is open.
const TAIL_SURNAME_SHARE: f64 = 0.35;
/// Share of Chinese given names composed from two syllables outside any list.
const COMPOSED_GIVEN_SHARE: f64 = 0.5;

/// Share of rank 0 among `n` under [`Rng::power_law`] with `exponent`.
fn top_share(n: usize, exponent: f64) -> f64 {
    let a = 1.0 - exponent;
    let end = n as f64 + 1.0;
    if a.abs() < 1e-9 {
        2f64.ln() / end.ln()
    } else {
        (2f64.powf(a) - 1.0) / (end.powf(a) - 1.0)
    }
}

/// The exponent that gives rank 0 of `n` names the share `top`: uniform when the list is too
/// short for so small a share (every name then has 1/n).
fn fitted_exponent(n: usize, top: f64) -> f64 {
    if n <= 1 || top <= 1.0 / n as f64 {
        return 0.0;
    }
    let (mut low, mut high) = (0.0, 8.0);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if top_share(n, mid) < top {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// The power-law exponents of one culture's lists, fitted to its [`Shares`].
struct Laws {
    surnames: f64,
    male: f64,
    female: f64,
    middle_male: f64,
    middle_female: f64,
}

impl Culture {
    /// Closed surname stock: a few names cover most people, and no surname is composed.
    fn closed_stock(&self) -> bool {
        matches!(self.script, Script::Pinyin) || self.name == "vietnamese"
    }

    /// Share of the culture's people whose surname comes from its list (the rest are composed).
    fn listed_surname_share(&self) -> f64 {
        if self.closed_stock() {
            1.0
        } else {
            1.0 - TAIL_SURNAME_SHARE
        }
    }

    fn fit_laws(&self) -> Laws {
        let listed_surnames = self.listed_surname_share();
        let listed_given = if self.script == Script::Pinyin {
            1.0 - COMPOSED_GIVEN_SHARE
        } else {
            1.0
        };
        let shares = self.shares;
        Laws {
            surnames: fitted_exponent(self.surnames.len(), shares.surname / listed_surnames),
            male: fitted_exponent(self.male.len(), shares.male / listed_given),
            female: fitted_exponent(self.female.len(), shares.female / listed_given),
            middle_male: fitted_exponent(self.middle_male.len(), shares.middle.0),
            middle_female: fitted_exponent(self.middle_female.len(), shares.middle.1),
        }
    }

    /// The fitted laws, solved once per culture.
    fn laws(&self) -> &'static Laws {
        static LAWS: std::sync::OnceLock<Vec<Laws>> = std::sync::OnceLock::new();
        let all = LAWS.get_or_init(|| CULTURES.iter().map(Culture::fit_laws).collect());
        let index = CULTURES
            .iter()
            .position(|c| std::ptr::eq(c, self))
            .unwrap_or(0);
        &all[index]
    }
}

/// A generated record and what it is.
#[derive(Clone, Debug)]
pub struct Person {
    pub identity: Identity,
    pub culture: &'static str,
    /// For probes: the variant kinds applied ("order swap+typo"), "namesake" or "stranger".
    pub kind: String,
    /// For probes: the gallery id of the same person, if any.
    pub truth: Option<String>,
}

/// One person before writing: the canonical (first) spelling of each group, with its group.
struct Drawn {
    culture: &'static Culture,
    surname: Vec<&'static str>,
    given: Vec<Vec<&'static str>>,
    birth: PartialDate,
    sex: Sex,
    nationality: &'static str,
    document: Option<String>,
}

/// Marks a given name composed from two syllables: `[head, COMPOSED, end]`.
const COMPOSED: &str = "+";

fn group(entry: &'static str) -> Vec<&'static str> {
    entry.split('|').collect()
}

fn random_date(rng: &mut Rng) -> PartialDate {
    let year = 1940 + rng.below(68) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(usize::from(limes_model::date::days_in_month(year, month))) as u8;
    PartialDate::new(year, month, day).expect("day drawn within the month's length")
}

fn draw(rng: &mut Rng, culture: &'static Culture) -> Drawn {
    // A long tail: 35 % of surnames are composed and therefore rare (not for Chinese and
    // Vietnamese, whose surname stock is closed: a few names cover most people).
    let closed_stock = culture.closed_stock();
    let laws = culture.laws();
    let surname = if !closed_stock && rng.chance(TAIL_SURNAME_SHARE) {
        let head = rng.pick(culture.tail_heads);
        let end = rng.pick(culture.tail_ends);
        // Kept as its two parts; `written` joins them.
        vec![head, end]
    } else {
        group(
            culture
                .surnames
                .get(rng.power_law(culture.surnames.len(), laws.surnames))
                .copied()
                .unwrap_or("X"),
        )
    };
    let sex = if rng.chance(0.5) { Sex::M } else { Sex::F };
    let (list, law) = if sex == Sex::M {
        (culture.male, laws.male)
    } else {
        (culture.female, laws.female)
    };
    let mut given = vec![group(
        list.get(rng.power_law(list.len(), law))
            .copied()
            .unwrap_or("X"),
    )];
    // Half of Chinese given names are composed from two syllables outside any list.
    if closed_stock && culture.script == Script::Pinyin && rng.chance(COMPOSED_GIVEN_SHARE) {
        given = vec![vec![
            rng.pick(culture.tail_heads),
            COMPOSED,
            rng.pick(culture.tail_ends),
        ]];
    }
    let (middles, middle_law) = if sex == Sex::M {
        (culture.middle_male, laws.middle_male)
    } else {
        (culture.middle_female, laws.middle_female)
    };
    if !middles.is_empty() && rng.chance(0.95) {
        let middle = middles
            .get(rng.power_law(middles.len(), middle_law))
            .copied()
            .unwrap_or("X");
        given.insert(0, vec![middle]);
    }
    if rng.chance(culture.second_given) {
        let second = group(
            list.get(rng.power_law(list.len(), law))
                .copied()
                .unwrap_or("X"),
        );
        if second != given[0] {
            given.push(second);
        }
    }
    let nationality = culture
        .nationalities
        .get(rng.zipf(culture.nationalities.len()))
        .copied()
        .unwrap_or("XXX");
    let document = rng.chance(0.3).then(|| {
        let letters = b"ABCDEFGHJKLMNPRSTUVWXYZ";
        let mut doc = String::new();
        for _ in 0..2 {
            doc.push(char::from(letters[rng.below(letters.len())]));
        }
        doc.push_str(&format!("{:07}", rng.below(10_000_000)));
        doc
    });
    Drawn {
        culture,
        surname,
        given,
        birth: random_date(rng),
        sex,
        nationality,
        document,
    }
}

/// Is this surname group a composed tail name (two parts joined)?
fn is_tail(drawn: &Drawn) -> bool {
    drawn.surname.len() == 2
        && drawn.culture.tail_heads.contains(&drawn.surname[0])
        && drawn.culture.tail_ends.contains(&drawn.surname[1])
}

/// Female forms of East Slavic surnames (Иванов → Иванова).
fn slavic_female(name: &str) -> String {
    if name.ends_with("ов") || name.ends_with("ев") || name.ends_with("ёв") || name.ends_with("ин")
    {
        format!("{name}а")
    } else if let Some(stem) = name.strip_suffix("ский") {
        format!("{stem}ская")
    } else {
        name.to_owned()
    }
}

fn polish_female(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ski") {
        format!("{stem}ska")
    } else if let Some(stem) = name.strip_suffix("cki") {
        format!("{stem}cka")
    } else if let Some(stem) = name.strip_suffix("sky") {
        format!("{stem}ska")
    } else {
        name.to_owned()
    }
}

/// Romanisation systems for Cyrillic, as they appear on real documents and visas.
#[derive(Clone, Copy)]
enum Romanisation {
    Icao,
    English,
    German,
    French,
    /// Ukraine's national transliteration (2010), used in its passports: Г is H, И is Y, and
    /// given names are written in their Ukrainian form ([`ukrainian_form`]).
    Ukrainian,
}

/// Russian given names (as the lists spell them) and their Ukrainian form: a Ukrainian
/// citizen's passport writes ОЛЕКСАНДР where an older record, or one made from a Russian-language
/// document, writes АЛЕКСАНДР. Names spelt alike in both languages are not listed.
const UKRAINIAN_FORMS: &[(&str, &str)] = &[
    ("Александр", "Олександр"),
    ("Сергей", "Сергій"),
    ("Дмитрий", "Дмитро"),
    ("Андрей", "Андрій"),
    ("Алексей", "Олексій"),
    ("Евгений", "Євген"),
    ("Иван", "Іван"),
    ("Михаил", "Михайло"),
    ("Николай", "Микола"),
    ("Владимир", "Володимир"),
    ("Юрий", "Юрій"),
    ("Виктор", "Віктор"),
    ("Артём", "Артем"),
    ("Игорь", "Ігор"),
    ("Григорий", "Григорій"),
    ("Павел", "Павло"),
    ("Константин", "Костянтин"),
    ("Станислав", "Станіслав"),
    ("Виталий", "Віталій"),
    ("Василий", "Василь"),
    ("Пётр", "Петро"),
    ("Валерий", "Валерій"),
    ("Геннадий", "Геннадій"),
    ("Анатолий", "Анатолій"),
    ("Кирилл", "Кирило"),
    ("Никита", "Микита"),
    ("Фёдор", "Федір"),
    ("Егор", "Єгор"),
    ("Илья", "Ілля"),
    ("Леонид", "Леонід"),
    ("Елена", "Олена"),
    ("Наталья", "Наталія"),
    ("Татьяна", "Тетяна"),
    ("Ирина", "Ірина"),
    ("Светлана", "Світлана"),
    ("Анна", "Ганна"),
    ("Мария", "Марія"),
    ("Екатерина", "Катерина"),
    ("Юлия", "Юлія"),
    ("Анастасия", "Анастасія"),
    ("Ксения", "Ксенія"),
    ("Евгения", "Євгенія"),
    ("Надежда", "Надія"),
    ("Вера", "Віра"),
    ("Любовь", "Любов"),
    ("Виктория", "Вікторія"),
    ("Валерия", "Валерія"),
    ("Софья", "Софія"),
    ("Алёна", "Альона"),
    ("Лилия", "Лілія"),
];

/// The Ukrainian form of a Russian given name, or the name itself.
fn ukrainian_form(name: &str) -> &str {
    UKRAINIAN_FORMS
        .iter()
        .find(|(russian, _)| *russian == name)
        .map_or(name, |(_, ukrainian)| ukrainian)
}

fn romanise(text: &str, system: Romanisation) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let lower: char = c.to_lowercase().next().unwrap_or(c);
        let first = i == 0;
        let prev_vowel =
            i > 0 && "аеёиоуыэюяaeiou".contains(chars[i - 1].to_lowercase().next().unwrap_or(' '));
        let piece: &str = match (system, lower) {
            // Ukrainian: Г is H (Ґ is G), И is Y, and a few letters of its own; Є, Ї, Й, Ю, Я
            // are written with Y at the start of a word.
            (Romanisation::Ukrainian, 'г') => "h",
            (Romanisation::Ukrainian, 'ґ') => "g",
            (Romanisation::Ukrainian, 'и' | 'ы') => "y",
            (Romanisation::Ukrainian, 'і') => "i",
            (Romanisation::Ukrainian, 'ї') if first => "yi",
            (Romanisation::Ukrainian, 'ї') => "i",
            (Romanisation::Ukrainian, 'й') if first => "y",
            (Romanisation::Ukrainian, 'й') => "i",
            (Romanisation::Ukrainian, 'є') if first => "ye",
            (Romanisation::Ukrainian, 'є') => "ie",
            (Romanisation::Ukrainian, 'ю') if first => "yu",
            (Romanisation::Ukrainian, 'ю') => "iu",
            (Romanisation::Ukrainian, 'я') if first => "ya",
            (Romanisation::Ukrainian, 'я') => "ia",
            (Romanisation::Ukrainian, 'ъ' | 'ь') => "",
            (_, 'а') => "a",
            (_, 'б') => "b",
            (Romanisation::German, 'в') => "w",
            (_, 'в') => "v",
            (_, 'г') => "g",
            (_, 'д') => "d",
            (Romanisation::English, 'е') if first || prev_vowel => "ye",
            (Romanisation::German, 'е') if first => "je",
            (_, 'е') => "e",
            (Romanisation::English, 'ё') => "yo",
            (Romanisation::German, 'ё') => "jo",
            (_, 'ё') => "e",
            (Romanisation::German, 'ж') => "sch",
            (Romanisation::French, 'ж') => "j",
            (_, 'ж') => "zh",
            (Romanisation::German, 'з') => "s",
            (_, 'з') => "z",
            (_, 'и') => "i",
            (Romanisation::English, 'й') => "y",
            (Romanisation::German, 'й') => "j",
            (_, 'й') => "i",
            (_, 'к') => "k",
            (_, 'л') => "l",
            (_, 'м') => "m",
            (_, 'н') => "n",
            (_, 'о') => "o",
            (_, 'п') => "p",
            (_, 'р') => "r",
            (Romanisation::German, 'с') if prev_vowel => "ss",
            (Romanisation::French, 'с') if prev_vowel => "ss",
            (_, 'с') => "s",
            (_, 'т') => "t",
            (Romanisation::French, 'у') => "ou",
            (_, 'у') => "u",
            (_, 'ф') => "f",
            (Romanisation::German, 'х') => "ch",
            (_, 'х') => "kh",
            (Romanisation::German, 'ц') => "z",
            (_, 'ц') => "ts",
            (Romanisation::German, 'ч') => "tsch",
            (Romanisation::French, 'ч') => "tch",
            (_, 'ч') => "ch",
            (Romanisation::German, 'ш') => "sch",
            (Romanisation::French, 'ш') => "ch",
            (_, 'ш') => "sh",
            (Romanisation::German, 'щ') => "schtsch",
            (Romanisation::French, 'щ') => "chtch",
            (_, 'щ') => "shch",
            (Romanisation::Icao, 'ъ') => "ie",
            (_, 'ъ') => "",
            (_, 'ы') => "y",
            (_, 'ь') => "",
            (_, 'э') => "e",
            (Romanisation::Icao, 'ю') => "iu",
            (Romanisation::German, 'ю') => "ju",
            (Romanisation::French, 'ю') => "iou",
            (_, 'ю') => "yu",
            (Romanisation::Icao, 'я') => "ia",
            (Romanisation::German, 'я') => "ja",
            (Romanisation::French, 'я') => "ia",
            (_, 'я') => "ya",
            _ => {
                out.push(c);
                continue;
            }
        };
        if first {
            let mut cs = piece.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(piece);
        }
    }
    // English drops the -iy ending to -y (Дмитрий → Dmitriy/Dmitry).
    out
}

/// Pinyin to Wade–Giles for one syllable-ish token (initials only: that is where they differ).
fn wade_giles(pinyin: &str) -> String {
    let lower = pinyin.to_lowercase();
    let rules: &[(&str, &str)] = &[
        ("zh", "ch"),
        ("ch", "ch'"),
        ("sh", "sh"),
        ("xi", "hsi"),
        ("xu", "hsü"),
        ("x", "hs"),
        ("qi", "ch'i"),
        ("qu", "ch'ü"),
        ("q", "ch'"),
        ("ji", "chi"),
        ("ju", "chü"),
        ("j", "ch"),
        ("z", "ts"),
        ("c", "ts'"),
        ("r", "j"),
        ("b", "p"),
        ("d", "t"),
        ("g", "k"),
        ("p", "p'"),
        ("t", "t'"),
        ("k", "k'"),
    ];
    let mut out = lower.clone();
    for (from, to) in rules {
        if let Some(rest) = lower.strip_prefix(from) {
            out = format!("{to}{rest}");
            break;
        }
    }
    if out.ends_with("ie") && !out.ends_with("ieh") {
        out.push('h');
    }
    // Pinyin -ONG is Wade–Giles -UNG (Zhong → Chung, Dong → Tung, Yong → Yung), -IAN is -IEN
    // (Jian → Chien), and ZHI, CHI, SHI, RI end in -IH (Zhi → Chih).
    if let Some(stem) = out.strip_suffix("ong") {
        out = format!("{stem}ung");
    } else if let Some(stem) = out.strip_suffix("ian") {
        out = format!("{stem}ien");
    } else if matches!(lower.as_str(), "zhi" | "chi" | "shi" | "ri") {
        out.push('h');
    }
    capitalise(&out)
}

fn capitalise(text: &str) -> String {
    let mut cs = text.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Diacritics written the way a keyboard without them or an airline system does.
fn strip_marks(text: &str, rng: &mut Rng) -> String {
    use unicode_normalization::UnicodeNormalization;
    let icao = rng.chance(0.5);
    let mut out = String::new();
    for c in text.chars() {
        match c {
            'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü' if icao => {
                let base = match c.to_lowercase().next() {
                    Some('ä') => "ae",
                    Some('ö') => "oe",
                    _ => "ue",
                };
                if c.is_uppercase() {
                    out.push_str(&capitalise(base));
                } else {
                    out.push_str(base);
                }
            }
            'ß' => out.push_str("ss"),
            'ø' => out.push_str(if icao { "oe" } else { "o" }),
            'Ø' => out.push_str(if icao { "Oe" } else { "O" }),
            'å' => out.push_str(if icao { "aa" } else { "a" }),
            'Å' => out.push_str(if icao { "Aa" } else { "A" }),
            'ł' => out.push('l'),
            'Ł' => out.push('L'),
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            'ı' => out.push('i'),
            other => out.extend(std::iter::once(other).nfd().filter(|d| d.is_ascii())),
        }
    }
    out
}

/// Writes a token of a group: canonical form (gallery) or, for a variant, another spelling.
fn spell(
    culture: &Culture,
    grp: &[&'static str],
    female: bool,
    surname: bool,
    style: &mut Style,
    rng: &mut Rng,
) -> String {
    if let [head, COMPOSED, end] = grp {
        // A composed given name: its syllables, hyphen-marked for Wade–Giles.
        let text = format!("{head}-{end}");
        return match culture.script {
            Script::Pinyin if style.wade_giles => {
                style.changed = true;
                wade_giles_word(&text)
            }
            _ => text.replace('-', ""),
        };
    }
    let base = grp.first().copied().unwrap_or("");
    let mut text = if style.variant && grp.len() > 1 && rng.chance(0.7) {
        style.changed = true;
        grp.get(1 + rng.below(grp.len() - 1))
            .copied()
            .unwrap_or(base)
            .to_owned()
    } else {
        base.to_owned()
    };
    if surname && female {
        text = match culture.name {
            "east_slavic" => slavic_female(&text),
            "polish" => polish_female(&text),
            _ => text,
        };
    }
    match culture.script {
        Script::Cyrillic => match style.romanisation {
            None => text,
            Some(Romanisation::Ukrainian) if !surname => {
                romanise(ukrainian_form(&text), Romanisation::Ukrainian)
            }
            Some(system) => romanise(&text, system),
        },
        Script::Pinyin if style.wade_giles => {
            style.changed = true;
            text.split(' ')
                .map(wade_giles_word)
                .collect::<Vec<_>>()
                .join(" ")
        }
        Script::Pinyin => text.replace('-', ""),
        _ if style.variant && !text.is_ascii() => {
            style.changed = true;
            strip_marks(&text, rng)
        }
        _ => text,
    }
}

/// A pinyin word in Wade–Giles: each syllable (marked by '-' in the lists) converted, written
/// with a hyphen and the later syllables in lower case (Zhi-wei → Chih-wei, Jian-guo → Chien-kuo).
fn wade_giles_word(word: &str) -> String {
    word.split('-')
        .enumerate()
        .map(|(i, syllable)| {
            let wg = wade_giles(syllable);
            if i == 0 { wg } else { wg.to_lowercase() }
        })
        .collect::<Vec<_>>()
        .join("-")
}

struct Style {
    variant: bool,
    romanisation: Option<Romanisation>,
    wade_giles: bool,
    changed: bool,
}

fn written(drawn: &Drawn, style: &mut Style, rng: &mut Rng) -> (String, Vec<String>) {
    let female = drawn.sex == Sex::F;
    let surname = if is_tail(drawn) {
        // A head may come in spellings (CHATZI|HATZI): one of them, never the group as written.
        let heads: Vec<&str> = drawn.surname[0].split('|').collect();
        let head = match heads.as_slice() {
            [_, second, ..] if style.variant => second,
            [first, ..] => first,
            [] => "",
        };
        let joined = format!("{head}{}", drawn.surname[1]);
        // Tail names have no listed variants, only script and diacritic variation.
        spell_owned(drawn.culture, &[joined.as_str()], female, style, rng)
    } else {
        spell(drawn.culture, &drawn.surname, female, true, style, rng)
    };
    let given = drawn
        .given
        .iter()
        .map(|g| spell(drawn.culture, g, female, false, style, rng))
        .collect();
    (surname, given)
}

fn spell_owned(
    culture: &Culture,
    grp: &[&str],
    female: bool,
    style: &mut Style,
    rng: &mut Rng,
) -> String {
    let text = grp.first().copied().unwrap_or("").to_owned();
    let text = if female {
        match culture.name {
            "east_slavic" => slavic_female(&text),
            "polish" => polish_female(&text),
            _ => text,
        }
    } else {
        text
    };
    match culture.script {
        Script::Cyrillic => match style.romanisation {
            None => text,
            Some(system) => romanise(&text, system),
        },
        Script::Pinyin if style.wade_giles => {
            style.changed = true;
            wade_giles_word(&text)
        }
        Script::Pinyin => text.replace('-', ""),
        _ if style.variant && !text.is_ascii() => {
            style.changed = true;
            strip_marks(&text, rng)
        }
        _ => text,
    }
}

fn gallery_style(culture: &Culture, rng: &mut Rng) -> Style {
    Style {
        variant: false,
        romanisation: (culture.script == Script::Cyrillic)
            .then(|| {
                if rng.chance(0.25) {
                    None
                } else {
                    Some(Romanisation::Icao)
                }
            })
            .flatten(),
        wade_giles: false,
        changed: false,
    }
}

fn to_identity(id: String, drawn: &Drawn, surname: String, given: Vec<String>) -> Identity {
    Identity {
        id,
        surname,
        given_names: given.join(" "),
        birth_date: Some(drawn.birth),
        nationality: Some(drawn.nationality.to_owned()),
        sex: Some(drawn.sex),
        aliases: Vec::new(),
        documents: drawn
            .document
            .iter()
            .map(|number| DocumentRef {
                number: number.clone(),
                country: Some(drawn.nationality.to_owned()),
            })
            .collect(),
    }
}

const GALLERY: u64 = 1;
const PROBE: u64 = 2;
const STRANGER: u64 = 3;

fn culture_of(index: u64) -> &'static Culture {
    &CULTURES[(index % CULTURES.len() as u64) as usize]
}

fn drawn_gallery(seed: u64, index: u64) -> (Drawn, Rng) {
    let mut rng = Rng::stream(seed, GALLERY, index);
    let drawn = draw(&mut rng, culture_of(index));
    (drawn, rng)
}

/// The gallery id of person `index`.
pub fn gallery_id(index: u64) -> String {
    format!("G{index:08}")
}

/// An index over gallery persons `0..size`, generated and added in batches of 100,000 so the
/// generated identities never all sit in memory beside the index (benches and examples).
pub fn gallery_index(
    seed: u64,
    size: u64,
    threads: usize,
) -> Result<crate::Index, crate::IndexError> {
    let mut builder = crate::IndexBuilder::new(crate::IndexConfig::default());
    let mut start = 0;
    while start < size {
        let end = (start + 100_000).min(size);
        let batch: Vec<Identity> = (start..end)
            .map(|i| gallery_person(seed, i).identity)
            .collect();
        builder.add_batch(&batch, threads)?;
        start = end;
    }
    Ok(builder.finish())
}

/// Gallery person `index` (deterministic from `seed`).
pub fn gallery_person(seed: u64, index: u64) -> Person {
    let (drawn, mut rng) = drawn_gallery(seed, index);
    let mut style = gallery_style(drawn.culture, &mut rng);
    let (surname, given) = written(&drawn, &mut style, &mut rng);
    let mut identity = to_identity(gallery_id(index), &drawn, surname, given);
    // Records as alerts carry them: some dates partial, some fields missing, a few aliases.
    if rng.chance(0.08) {
        identity.birth_date = PartialDate::new(drawn.birth.year(), 0, 0).ok();
    } else if rng.chance(0.04) {
        identity.birth_date = PartialDate::new(drawn.birth.year(), drawn.birth.month(), 0).ok();
    }
    if rng.chance(0.05) {
        identity.nationality = None;
    }
    if rng.chance(0.05) {
        let mut alias_style = Style {
            variant: true,
            ..gallery_style(drawn.culture, &mut rng)
        };
        let (s, g) = written(&drawn, &mut alias_style, &mut rng);
        identity.aliases.push(NameVariant {
            surname: s,
            given_names: g.join(" "),
        });
    }
    Person {
        identity,
        culture: drawn.culture.name,
        kind: "gallery".to_owned(),
        truth: None,
    }
}

fn typo(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if chars.len() < 4 {
        return text.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    let letters = "abcdefghijklmnoprstuvy";
    let random_letter = letters.chars().nth(rng.below(letters.len())).unwrap_or('e');
    match rng.below(4) {
        0 => chars[at] = random_letter,
        1 => {
            chars.remove(at);
        }
        2 => chars.insert(at, random_letter),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

/// A variant of gallery person `index` as another record would write it.
pub fn variant_of(seed: u64, index: u64, probe_index: u64) -> Person {
    let (drawn, _) = drawn_gallery(seed, index);
    let mut rng = Rng::stream(seed, PROBE, probe_index);
    let culture = drawn.culture;
    let mut kinds: Vec<&str> = Vec::new();
    let mut style = Style {
        variant: true,
        romanisation: (culture.script == Script::Cyrillic).then(|| match rng.below(4) {
            0 => Romanisation::Icao,
            1 => Romanisation::English,
            2 => Romanisation::German,
            _ => Romanisation::French,
        }),
        wade_giles: culture.script == Script::Pinyin && rng.chance(0.5),
        changed: false,
    };
    // Half of Ukrainian citizens' probes come from a Ukrainian passport: Ukrainian given-name
    // forms in Ukraine's own transliteration, against a gallery written the Russian way.
    let ukrainian =
        culture.script == Script::Cyrillic && drawn.nationality == "UKR" && rng.chance(0.5);
    if ukrainian {
        style.romanisation = Some(Romanisation::Ukrainian);
    }
    let (mut surname, mut given) = written(&drawn, &mut style, &mut rng);
    if style.changed || culture.script == Script::Cyrillic {
        kinds.push(if ukrainian {
            "Ukrainian passport"
        } else {
            "transliteration"
        });
    }
    if given.len() > 1 && rng.chance(0.3) {
        if culture.middle_male.is_empty() {
            given.truncate(1);
        } else {
            // The middle name (VĂN, THỊ) is the one left out, not the given name proper.
            given.remove(0);
        }
        kinds.push("missing middle name");
    }
    if rng.chance(0.25) {
        let tokens: usize = given.len();
        let pick = rng.below(tokens + 1);
        if pick == tokens {
            surname = typo(&surname, &mut rng);
        } else if let Some(g) = given.get_mut(pick) {
            *g = typo(g, &mut rng);
        }
        kinds.push("typo");
    }
    if rng.chance(0.05)
        && let Some(first) = given.first_mut()
    {
        *first = first.chars().take(1).collect();
        kinds.push("initial");
    }
    let swap = rng.chance(if culture.family_first { 0.5 } else { 0.2 });
    let mut identity = to_identity(String::new(), &drawn, surname, given);
    if swap {
        std::mem::swap(&mut identity.surname, &mut identity.given_names);
        kinds.push("order swap");
    }
    let b = drawn.birth;
    let roll = rng.below(100);
    identity.birth_date = if roll < 12 {
        kinds.push("partial date");
        PartialDate::new(b.year(), 0, 0).ok()
    } else if roll < 17 {
        kinds.push("partial date");
        PartialDate::new(b.year(), b.month(), 0).ok()
    } else if roll < 21 && b.day() <= 12 && b.day() != b.month() {
        kinds.push("day/month swap");
        PartialDate::new(b.year(), b.day(), b.month()).ok()
    } else if roll < 24 {
        kinds.push("date typo");
        let day = if b.day() >= 10 && b.day() < 20 {
            b.day() + 10
        } else if b.day() < 10 {
            b.day() % 9 + 1
        } else {
            b.day() - 10
        };
        PartialDate::new(b.year(), b.month(), day).ok().or(Some(b))
    } else if roll < 26 {
        kinds.push("year off by one");
        PartialDate::new(b.year() + 1, b.month(), b.day())
            .or_else(|_| PartialDate::new(b.year() + 4, b.month(), b.day()))
            .ok()
    } else if roll < 28 {
        kinds.push("no birth date");
        None
    } else {
        Some(b)
    };
    if rng.chance(0.2) {
        identity.nationality = None;
    }
    if rng.chance(0.1) {
        identity.sex = None;
    }
    if rng.chance(0.5) {
        identity.documents.clear();
    } else if let Some(doc) = identity.documents.first_mut()
        && rng.chance(0.2)
    {
        doc.number = doc.number.replace('0', "O");
    }
    if kinds.is_empty() {
        kinds.push("as written");
    }
    identity.id = format!("P{probe_index:08}");
    Person {
        identity,
        culture: culture.name,
        kind: kinds.join("+"),
        truth: Some(gallery_id(index)),
    }
}

/// A namesake of gallery person `index`: same name (as written), clearly different birth date,
/// otherwise a different person.
pub fn namesake_of(seed: u64, index: u64, probe_index: u64) -> Person {
    let (drawn, _) = drawn_gallery(seed, index);
    let mut rng = Rng::stream(seed, PROBE, probe_index);
    let mut style = gallery_style(drawn.culture, &mut rng);
    let (surname, given) = written(&drawn, &mut style, &mut rng);
    let mut identity = to_identity(format!("P{probe_index:08}"), &drawn, surname, given);
    let year = loop {
        let y = 1940 + rng.below(68) as u16;
        if y.abs_diff(drawn.birth.year()) >= 3
            && (y % 10 != drawn.birth.year() % 10 || y / 10 != drawn.birth.year() / 10)
        {
            break y;
        }
    };
    identity.birth_date =
        PartialDate::new(year, 1 + rng.below(12) as u8, 1 + rng.below(28) as u8).ok();
    identity.documents.clear();
    Person {
        identity,
        culture: drawn.culture.name,
        kind: "namesake".to_owned(),
        truth: None,
    }
}

/// A person of the culture of `culture_index` who is not in the gallery.
pub fn stranger(seed: u64, culture_index: u64, probe_index: u64) -> Person {
    let mut rng = Rng::stream(seed, STRANGER, probe_index);
    let drawn = draw(&mut rng, culture_of(culture_index));
    let mut style = gallery_style(drawn.culture, &mut rng);
    style.variant = rng.chance(0.3);
    let (surname, given) = written(&drawn, &mut style, &mut rng);
    let mut identity = to_identity(format!("P{probe_index:08}"), &drawn, surname, given);
    identity.documents.clear();
    Person {
        identity,
        culture: drawn.culture.name,
        kind: "stranger".to_owned(),
        truth: None,
    }
}

/// The probe set of `limes generate persons`: for each of the first half of the gallery `variants`
/// variant probes, each followed by one no-match probe (a namesake of a person of the second half,
/// or a stranger), so every culture gets both kinds.
pub fn probes(seed: u64, count: u64, variants: u64) -> impl Iterator<Item = Person> {
    let mut next_probe = 0u64;
    let half = count / 2;
    (0..half).flat_map(move |j| {
        let mut out = Vec::with_capacity(variants as usize + 1);
        // Gallery persons 0..half are probed with variants, the others lend names to namesakes;
        // both run through every culture.
        for _ in 0..variants {
            out.push(variant_of(seed, j, next_probe));
            next_probe += 1;
        }
        out.push(if (j / CULTURES.len() as u64).is_multiple_of(2) {
            namesake_of(seed, half + j, next_probe)
        } else {
            stranger(seed, j, next_probe)
        });
        next_probe += 1;
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_name_is_written_with_its_variant_group() {
        // Groups such as CHATZI|HATZI list spellings; a record carries one of them.
        for i in 0..6000 {
            let person = gallery_person(3, i);
            let identity = &person.identity;
            assert!(
                !identity.surname.contains('|') && !identity.given_names.contains('|'),
                "{} {}",
                identity.surname,
                identity.given_names
            );
        }
        for probe in probes(3, 6000, 2) {
            assert!(
                !probe.identity.surname.contains('|'),
                "{}",
                probe.identity.surname
            );
        }
    }

    #[test]
    fn ukrainian_citizens_show_ukrainian_passports() {
        let ukrainian: Vec<Person> = probes(3, 12_000, 2)
            .filter(|p| p.kind.contains("Ukrainian passport"))
            .collect();
        assert!(ukrainian.len() > 50, "{}", ukrainian.len());
        for p in &ukrainian {
            // Some probes leave the nationality out.
            assert!(matches!(
                p.identity.nationality.as_deref(),
                Some("UKR") | None
            ));
            assert!(p.identity.given_names.is_ascii() && p.identity.surname.is_ascii());
        }
        // Ukrainian forms in Ukraine's transliteration (Г is H, И is Y).
        let written: String = ukrainian
            .iter()
            .map(|p| format!("{} {} ", p.identity.surname, p.identity.given_names))
            .collect();
        assert!(
            ["Oleksandr", "Serhii", "Mykola", "Olena", "Dmytro", "Ihor"]
                .iter()
                .any(|name| written.contains(name)),
            "{written}"
        );
        assert_eq!(
            romanise("Гончаренко", Romanisation::Ukrainian),
            "Honcharenko"
        );
        assert_eq!(romanise("Євгенія", Romanisation::Ukrainian), "Yevheniia");
    }

    #[test]
    fn deterministic_and_multicultural() {
        let a: Vec<Identity> = (0..50).map(|i| gallery_person(7, i).identity).collect();
        let b: Vec<Identity> = (0..50).map(|i| gallery_person(7, i).identity).collect();
        assert_eq!(a, b);
        let c: Vec<Identity> = (0..50).map(|i| gallery_person(8, i).identity).collect();
        assert_ne!(a, c);
        let cultures: std::collections::BTreeSet<&str> =
            (0..24).map(|i| gallery_person(7, i).culture).collect();
        assert_eq!(cultures.len(), CULTURES.len());
    }

    #[test]
    fn a_fitted_law_gives_the_commonest_name_its_share() {
        for (n, top) in [(20, 0.03), (60, 0.03), (60, 0.12), (16, 0.38), (200, 0.01)] {
            let exponent = fitted_exponent(n, top);
            let mut rng = Rng::new(5);
            let draws = 100_000;
            let first = (0..draws)
                .filter(|_| rng.power_law(n, exponent) == 0)
                .count();
            let observed = first as f64 / draws as f64;
            // A list too short for the share is drawn uniformly.
            let expected = top.max(1.0 / n as f64);
            assert!(
                (observed - expected).abs() < 0.1 * expected,
                "{n} names, top {top}: {observed}"
            );
        }
    }

    #[test]
    fn the_commonest_names_have_their_share_in_life() {
        // Drawn people, not written records: spellings and scripts vary between records.
        let people = 12_000;
        for (c, culture) in CULTURES.iter().enumerate() {
            let mut surnames = std::collections::HashMap::<&str, usize>::new();
            let mut men = std::collections::HashMap::<&str, usize>::new();
            let mut women = std::collections::HashMap::<&str, usize>::new();
            let (mut male, mut female) = (0usize, 0usize);
            for i in 0..people {
                let mut rng = Rng::stream(11, GALLERY, (i * CULTURES.len() + c) as u64);
                let drawn = draw(&mut rng, culture);
                if !is_tail(&drawn) {
                    *surnames.entry(drawn.surname[0]).or_default() += 1;
                }
                // The given name proper: after a Vietnamese middle name, when there is one.
                let middle = !culture.middle_male.is_empty() && drawn.given.len() > 1;
                let Some(name) = drawn.given.get(usize::from(middle)).and_then(|g| g.first())
                else {
                    continue;
                };
                if drawn.sex == Sex::M {
                    male += 1;
                    *men.entry(name).or_default() += 1;
                } else {
                    female += 1;
                    *women.entry(name).or_default() += 1;
                }
            }
            let top = |counts: &std::collections::HashMap<&str, usize>, of: usize| {
                counts.values().max().copied().unwrap_or(0) as f64 / of.max(1) as f64
            };
            let floor = culture.listed_surname_share() / culture.surnames.len() as f64;
            let expected = culture.shares.surname.max(floor);
            let observed = top(&surnames, people);
            // The largest of many equal shares lies somewhat above their mean.
            assert!(
                observed > 0.8 * expected && observed < 1.35 * expected,
                "{}: commonest surname {observed:.3}, expected {expected:.3}",
                culture.name
            );
            // Chinese given names are half composed from syllables, counted here by their first.
            if culture.script == Script::Pinyin {
                continue;
            }
            for (counts, of, share, list) in [
                (&men, male, culture.shares.male, culture.male),
                (&women, female, culture.shares.female, culture.female),
            ] {
                let expected = share.max(1.0 / list.len() as f64);
                let observed = top(counts, of);
                assert!(
                    observed > 0.8 * expected && observed < 1.35 * expected,
                    "{}: commonest given name {observed:.3}, expected {expected:.3}",
                    culture.name
                );
            }
        }
    }

    #[test]
    fn probes_carry_truth() {
        let all: Vec<Person> = probes(3, 40, 2).collect();
        assert_eq!(all.len(), 20 * 3);
        assert!(all.iter().filter(|p| p.truth.is_some()).count() == 40);
        assert!(all.iter().any(|p| p.kind == "namesake"));
        assert!(all.iter().any(|p| p.kind == "stranger"));
        assert_eq!(romanise("Шевченко", Romanisation::German), "Schewtschenko");
        assert_eq!(romanise("Шевченко", Romanisation::French), "Chevtchenko");
        assert_eq!(wade_giles("Zhang"), "Chang");
        assert_eq!(wade_giles("Xu"), "Hsü");
        assert_eq!(wade_giles("Zhong"), "Chung");
        assert_eq!(wade_giles_word("Zhi-wei"), "Chih-wei");
        assert_eq!(wade_giles_word("Jian-guo"), "Chien-kuo");
        assert_eq!(wade_giles_word("Xiao-ming"), "Hsiao-ming");
    }
}
