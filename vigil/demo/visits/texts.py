"""Synthetic texts of the visits demo data, in kk, ru and en (see `vigil.demo.visits`).

Everything here is invented for demonstration: no real institution, person or event. Each
text exists in the three languages; a visit's texts are in its team's language.
"""

from typing import Any

Texts = dict[str, str]

# Finding patterns by theme. `categories`: institution categories it fits (None: any);
# `severities`: the severities it is drawn with.
FINDINGS: dict[str, list[dict[str, Any]]] = {
    "T1": [
        {
            "categories": ("penal", "pre_trial", "police"),
            "severities": ("critical", "serious"),
            "refs": "Nelson Mandela Rules 1, 57; Istanbul Protocol",
            "root": "staff_culture",
            "title": {
                "ru": "Заявления о жестоком обращении со стороны персонала",
                "kk": "Қызметкерлер тарапынан қатыгез қарым-қатынас туралы арыздар",
                "en": "Allegations of ill-treatment by staff",
            },
            "text": {
                "ru": "Несколько содержащихся, опрошенных конфиденциально, независимо друг от друга "
                "сообщили, что сотрудники наносили им удары во время обысков. У двоих видны "
                "телесные повреждения, соответствующие их рассказам. В журнале учёта телесных "
                "повреждений эти случаи не отражены.",
                "kk": "Құпия сұхбат берген бірнеше адам тінту кезінде қызметкерлер ұрғанын "
                "бір-біріне тәуелсіз айтты. Екі адамның денесінде олардың айтқанына сәйкес "
                "келетін жарақаттар көрінді. Бұл жағдайлар дене жарақаттарын тіркеу журналына "
                "енгізілмеген.",
                "en": "Several detainees interviewed in private said, independently of each "
                "other, that staff hit them during searches. Injuries consistent with their "
                "accounts were seen on two of them. The register of injuries does not record "
                "these cases.",
            },
        },
        {
            "categories": ("penal", "pre_trial"),
            "severities": ("serious",),
            "refs": "Nelson Mandela Rules 43–45",
            "root": "practice",
            "title": {
                "ru": "Длительное одиночное содержание как дисциплинарная мера",
                "kk": "Тәртіптік шара ретінде ұзақ уақыт оқшаулау",
                "en": "Prolonged solitary confinement as a disciplinary measure",
            },
            "text": {
                "ru": "Журнал дисциплинарных взысканий показывает помещения в ШИЗО на срок до 15 "
                "суток, повторяемые без перерыва. В камерах нет естественного освещения, "
                "содержащихся не осматривает ежедневно врач.",
                "kk": "Тәртіптік жазалар журналы адамдардың ШИЗО-ға 15 тәулікке дейін үзіліссіз "
                "қайта-қайта орналастырылғанын көрсетеді. Камераларда табиғи жарық жоқ, онда "
                "ұсталғандарды дәрігер күн сайын қарамайды.",
                "en": "The disciplinary register shows placements in the punishment cell for up "
                "to 15 days, repeated without a break. The cells have no natural light and the "
                "persons held there are not seen daily by a doctor.",
            },
        },
        {
            "categories": ("medical", "social", "education"),
            "severities": ("serious", "critical"),
            "refs": "CRPD art. 14, 15; Nelson Mandela Rules 47–49",
            "root": "practice",
            "title": {
                "ru": "Применение мер физического стеснения без регистрации",
                "kk": "Физикалық шектеу шараларын тіркеусіз қолдану",
                "en": "Physical restraint used without being recorded",
            },
            "text": {
                "ru": "Персонал сообщил, что возбуждённых пациентов привязывают к кроватям "
                "простынями. Журнал мер стеснения не ведётся, продолжительность и врачебный "
                "контроль каждого случая проверить невозможно.",
                "kk": "Қызметкерлер қозған пациенттерді төсекке жаймамен байлайтынын айтты. "
                "Шектеу шараларының журналы жүргізілмейді, әр жағдайдың ұзақтығы мен "
                "дәрігерлік бақылауын тексеру мүмкін емес.",
                "en": "Staff said that agitated patients are tied to their beds with sheets. No "
                "register of restraint is kept, so the duration and the medical supervision of "
                "each case cannot be checked.",
            },
        },
    ],
    "T2": [
        {
            "categories": ("police", "pre_trial", "penal"),
            "severities": ("serious", "moderate"),
            "refs": "Nelson Mandela Rule 83; SPT guidelines",
            "root": "resources",
            "title": {
                "ru": "«Слепые зоны» видеонаблюдения",
                "kk": "Бейнебақылаудың «соқыр аймақтары»",
                "en": "Blind spots in video surveillance",
            },
            "text": {
                "ru": "Камеры не охватывают коридор к следственным кабинетам и прогулочный двор, "
                "где, по словам содержащихся, применялась сила. Записи хранятся всего 7 дней.",
                "kk": "Камералар тергеу бөлмелеріне апаратын дәлізді және серуен алаңын "
                "қамтымайды, ұсталғандардың айтуынша, күш дәл сол жерде қолданылған. Жазбалар "
                "тек 7 күн сақталады.",
                "en": "The cameras do not cover the corridor to the interrogation rooms or the "
                "exercise yard, where detainees said force was used. Recordings are kept for "
                "only 7 days.",
            },
        },
        {
            "categories": ("police", "pre_trial", "migration"),
            "severities": ("moderate", "serious"),
            "refs": "Nelson Mandela Rules 54, 68",
            "root": "practice",
            "title": {
                "ru": "Несвоевременное уведомление родственников о задержании",
                "kk": "Ұстау туралы туыстарға уақытында хабарламау",
                "en": "Relatives not told of the detention in time",
            },
            "text": {
                "ru": "В четырёх из десяти проверенных дел родственники были уведомлены о "
                "задержании более чем через 12 часов после доставления. Задержанным не выдают "
                "письменную информацию о правах на понятном им языке.",
                "kk": "Тексерілген он істің төртеуінде туыстарына ұстау туралы жеткізілгеннен "
                "кейін 12 сағаттан астам уақыт өткен соң хабарланған. Ұсталғандарға құқықтары "
                "туралы түсінікті тілде жазбаша ақпарат берілмейді.",
                "en": "In four of the ten files checked, relatives were told of the detention "
                "more than 12 hours after arrival. Detainees are not given written information "
                "on their rights in a language they understand.",
            },
        },
        {
            "categories": ("police", "pre_trial", "penal"),
            "severities": ("serious",),
            "refs": "Nelson Mandela Rules 30, 34",
            "root": "practice",
            "title": {
                "ru": "Отсутствие медицинского осмотра при поступлении",
                "kk": "Қабылдау кезінде медициналық тексерудің болмауы",
                "en": "No medical examination on admission",
            },
            "text": {
                "ru": "Вновь прибывших не осматривает врач в течение 24 часов. О телесных "
                "повреждениях, выявленных при поступлении, не сообщается прокурору.",
                "kk": "Жаңа келгендерді дәрігер 24 сағат ішінде қарамайды. Қабылдау кезінде "
                "анықталған жарақаттар туралы прокурорға хабарланбайды.",
                "en": "New arrivals are not examined by a doctor within 24 hours. Injuries found "
                "on admission are not reported to the prosecutor.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rules 56, 57",
            "root": "policy",
            "title": {
                "ru": "Невозможность конфиденциальной подачи жалоб",
                "kk": "Шағымды құпия түрде беру мүмкін еместігі",
                "en": "Complaints cannot be made confidentially",
            },
            "text": {
                "ru": "Ящик для жалоб вскрывает дежурный, он установлен напротив комнаты "
                "персонала. Проживающие говорят, что боятся писать.",
                "kk": "Шағым жәшігін кезекші ашады, ол қызметкерлер бөлмесінің қарсысында тұр. "
                "Тұрғындар жазуға қорқатынын айтады.",
                "en": "The complaints box is opened by the duty officer and hangs opposite the "
                "staff room. Residents say they are afraid to write.",
            },
        },
    ],
    "T3": [
        {
            "categories": ("penal", "pre_trial", "police", "migration"),
            "severities": ("serious", "moderate"),
            "refs": "Nelson Mandela Rules 12–17",
            "root": "resources",
            "title": {
                "ru": "Камеры не отвечают норме жилой площади",
                "kk": "Камералардың тұрғын алаң нормасына сәйкес келмеуі",
                "en": "Cells below the minimum living space",
            },
            "text": {
                "ru": "В ряде камер на одного человека приходится менее 4 м², часть "
                "содержащихся спит по очереди. Вентиляция не работает, воздух спёртый.",
                "kk": "Бірқатар камераларда бір адамға 4 м²-ден аз алаң тиесілі, кейбіреулер "
                "кезекпен ұйықтайды. Желдеткіш жұмыс істемейді, ауа тымырсық.",
                "en": "In several cells each person has less than 4 m² and some sleep in turns. "
                "The ventilation does not work and the air is stale.",
            },
        },
        {
            "categories": ("penal", "pre_trial", "police", "military"),
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rules 15, 16",
            "root": "resources",
            "title": {
                "ru": "Санузлы не отгорожены от жилой зоны",
                "kk": "Дәретханалардың тұрғын аймақтан бөлінбеуі",
                "en": "Toilets not partitioned from the living area",
            },
            "text": {
                "ru": "Туалеты в камерах не отделены перегородкой, и ими пользуются на виду у "
                "других. Горячая вода подаётся раз в неделю.",
                "kk": "Камералардағы дәретханалар қалқамен бөлінбеген, адамдар оларды "
                "өзгелердің көзінше пайдаланады. Ыстық су аптасына бір рет беріледі.",
                "en": "The toilets in the cells are not partitioned off, so people use them in "
                "view of others. Hot water is available once a week.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate", "minor"),
            "refs": "Nelson Mandela Rules 13, 21",
            "root": "resources",
            "title": {
                "ru": "Низкая температура в помещениях зимой",
                "kk": "Қыста бөлмелердегі төмен температура",
                "en": "Rooms too cold in winter",
            },
            "text": {
                "ru": "Измеренная температура в спальных комнатах составила 14–15 °C. "
                "Проживающие спят в верхней одежде, одеял не хватает.",
                "kk": "Жатын бөлмелердегі өлшенген температура 14–15 °C болды. Тұрғындар сырт "
                "киіммен ұйықтайды, көрпе жетіспейді.",
                "en": "The temperature measured in the bedrooms was 14–15 °C. Residents sleep in "
                "their coats and there are not enough blankets.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate", "minor"),
            "refs": "Nelson Mandela Rule 22",
            "root": "resources",
            "title": {
                "ru": "Недостаточное питание без учёта диет",
                "kk": "Тамақтың жеткіліксіздігі және емдәмнің ескерілмеуі",
                "en": "Food insufficient and not adapted to diets",
            },
            "text": {
                "ru": "Меню не меняется неделями, диетическое питание людям с диабетом и "
                "туберкулёзом не предоставляется, хотя врачи его назначили.",
                "kk": "Мәзір апталап өзгермейді, қант диабеті мен туберкулезі бар адамдарға "
                "дәрігер тағайындаған емдәмдік тамақ берілмейді.",
                "en": "The menu does not change for weeks, and people with diabetes or "
                "tuberculosis do not get the diet their doctors prescribed.",
            },
        },
    ],
    "T4": [
        {
            "categories": ("penal", "pre_trial", "police", "migration"),
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rule 23",
            "root": "practice",
            "title": {
                "ru": "Прогулка менее одного часа",
                "kk": "Серуеннің бір сағаттан аз болуы",
                "en": "Less than one hour of outdoor exercise",
            },
            "text": {
                "ru": "Содержащиеся выходят на прогулку на 30–40 минут в день, а в дождь не "
                "выходят вовсе. Прогулочные дворики — тесные бетонные боксы с решёткой сверху.",
                "kk": "Ұсталғандар күніне 30–40 минут серуендейді, ал жаңбыр жауғанда мүлде "
                "шықпайды. Серуен аулалары үсті торлы тар бетон қораптар.",
                "en": "Detainees are taken out for 30–40 minutes a day, and not at all when it "
                "rains. The yards are small concrete boxes with a grille on top.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rules 58, 106",
            "root": "policy",
            "title": {
                "ru": "Ограничение связи с семьёй",
                "kk": "Отбасымен байланысты шектеу",
                "en": "Contact with families restricted",
            },
            "text": {
                "ru": "Телефонные звонки ограничены одним коротким звонком в месяц, в длительных "
                "свиданиях отказывают без письменного обоснования.",
                "kk": "Телефон қоңырауы айына бір қысқа қоңыраумен шектеледі, ұзақ мерзімді "
                "кездесуден жазбаша негіздемесіз бас тартылады.",
                "en": "Telephone calls are limited to one short call a month, and long visits "
                "are refused without written reasons.",
            },
        },
        {
            "categories": None,
            "severities": ("minor", "moderate"),
            "refs": "Nelson Mandela Rules 4, 96, 104, 105",
            "root": "resources",
            "title": {
                "ru": "Отсутствие занятости",
                "kk": "Мақсатты іс-шаралардың болмауы",
                "en": "No purposeful activities",
            },
            "text": {
                "ru": "Проживающие проводят весь день в комнатах: нет ни работы, ни обучения, "
                "ни досуговых программ. Библиотека не обновлялась годами.",
                "kk": "Тұрғындар күні бойы бөлмелерінде отырады: жұмыс та, оқу да, бос уақыт "
                "бағдарламасы да жоқ. Кітапхана жылдар бойы жаңартылмаған.",
                "en": "Residents spend the whole day in their rooms: there is no work, education "
                "or leisure programme. The library has not been renewed for years.",
            },
        },
    ],
    "T5": [
        {
            "categories": None,
            "severities": ("serious", "moderate"),
            "refs": "Nelson Mandela Rules 24–27, 31",
            "root": "resources",
            "title": {
                "ru": "Задержки в доступе к медицинской помощи",
                "kk": "Медициналық көмекке қолжетімділіктің кешігуі",
                "en": "Delayed access to medical care",
            },
            "text": {
                "ru": "Обращения к врачу проходят через сотрудников охраны, люди ждут приёма до "
                "двух недель. В выходные дни врача в медчасти нет.",
                "kk": "Дәрігерге өтініштер күзетшілер арқылы өтеді, адамдар қабылдауды екі "
                "аптаға дейін күтеді. Демалыс күндері медициналық бөлімде дәрігер болмайды.",
                "en": "Requests to see a doctor go through the guards and people wait up to two "
                "weeks. There is no doctor in the medical unit at weekends.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rules 26, 32",
            "root": "practice",
            "title": {
                "ru": "Медицинские осмотры в присутствии персонала",
                "kk": "Медициналық тексерулердің қызметкерлердің көзінше өтуі",
                "en": "Medical examinations in the presence of staff",
            },
            "text": {
                "ru": "Осмотры проводятся в присутствии сотрудников охраны, медицинские карты "
                "хранятся в дежурной части, где их может прочитать любой сотрудник.",
                "kk": "Тексерулер күзет қызметкерлерінің қатысуымен өтеді, медициналық "
                "карталар кез келген қызметкер оқи алатын кезекші бөлімде сақталады.",
                "en": "Examinations take place with security staff present, and medical records "
                "are kept in the duty room where any officer can read them.",
            },
        },
        {
            "categories": ("medical", "social", "penal", "pre_trial"),
            "severities": ("serious",),
            "refs": "Nelson Mandela Rule 24",
            "root": "resources",
            "title": {
                "ru": "Нехватка жизненно важных лекарств",
                "kk": "Өмірлік маңызды дәрі-дәрмектің жетіспеуі",
                "en": "Shortage of essential medicines",
            },
            "text": {
                "ru": "В этом году на несколько недель заканчивались инсулин, антидепрессанты и "
                "противотуберкулёзные препараты. Родственников просят покупать лекарства.",
                "kk": "Биыл инсулин, антидепрессанттар және туберкулезге қарсы препараттар "
                "бірнеше аптаға таусылып қалды. Туыстарынан дәрі сатып алуды сұрайды.",
                "en": "Insulin, antidepressants and tuberculosis medicines ran out for several "
                "weeks this year. Families are asked to buy medicines.",
            },
        },
    ],
    "T6": [
        {
            "categories": ("medical", "social", "education"),
            "severities": ("serious", "moderate"),
            "refs": "CRPD art. 14; Nelson Mandela Rule 74",
            "root": "resources",
            "title": {
                "ru": "Нехватка персонала в ночное время",
                "kk": "Түнгі уақытта қызметкерлердің жетіспеуі",
                "en": "Too few staff at night",
            },
            "text": {
                "ru": "Ночью одна медсестра отвечает за 60 проживающих на двух этажах. Персонал "
                "признал, что комнаты запирают снаружи, потому что не успевают за всеми следить.",
                "kk": "Түнде бір мейірбике екі қабаттағы 60 тұрғынға жауап береді. Қызметкерлер "
                "бәрін қадағалап үлгермейтіндіктен бөлмелерді сырттан құлыптайтынын мойындады.",
                "en": "At night one nurse is responsible for 60 residents on two floors. Staff "
                "admitted that rooms are locked from outside because they cannot watch everyone.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate", "minor"),
            "refs": "Nelson Mandela Rules 75, 76",
            "root": "policy",
            "title": {
                "ru": "Персонал не обучен вопросам запрета пыток",
                "kk": "Қызметкерлердің азаптауға тыйым салу бойынша оқытылмауы",
                "en": "Staff not trained on the prohibition of torture",
            },
            "text": {
                "ru": "Ни один из опрошенных сотрудников за последние три года не проходил "
                "обучения по запрету пыток и методам деэскалации.",
                "kk": "Сұхбат берген қызметкерлердің ешқайсысы соңғы үш жылда азаптауға тыйым "
                "салу және шиеленісті бәсеңдету әдістері бойынша оқудан өтпеген.",
                "en": "None of the officers interviewed had been trained on the prohibition of "
                "torture or on de-escalation in the last three years.",
            },
        },
    ],
    "T7": [
        {
            "categories": ("penal", "pre_trial", "police"),
            "severities": ("serious",),
            "refs": "Bangkok Rules 19, 20; Nelson Mandela Rule 81",
            "root": "resources",
            "title": {
                "ru": "Женщин досматривают и охраняют мужчины",
                "kk": "Әйелдерді ер қызметкерлердің тексеруі және күзетуі",
                "en": "Women searched and supervised by male staff",
            },
            "text": {
                "ru": "В ночную смену нет ни одной сотрудницы, поэтому за женщинами наблюдают, а "
                "иногда и досматривают их мужчины-сотрудники.",
                "kk": "Түнгі ауысымда бірде-бір әйел қызметкер жоқ, сондықтан әйелдерді ер "
                "қызметкерлер бақылайды, кейде тексереді.",
                "en": "There is no female officer on the night shift, so women are supervised, "
                "and sometimes searched, by male staff.",
            },
        },
        {
            "categories": None,
            "severities": ("serious", "moderate"),
            "refs": "CRPD art. 9; Nelson Mandela Rule 5",
            "root": "resources",
            "title": {
                "ru": "Недоступная среда для людей с инвалидностью",
                "kk": "Мүгедектігі бар адамдар үшін қолжетімсіз орта",
                "en": "Premises not accessible to persons with disabilities",
            },
            "text": {
                "ru": "В здании нет пандусов и лифтов, люди на колясках не могут без "
                "посторонней помощи попасть во двор, столовую или душ.",
                "kk": "Ғимаратта пандустар мен лифтілер жоқ, мүгедектер арбасындағы адамдар "
                "аулаға, асханаға немесе душқа бөгде көмексіз бара алмайды.",
                "en": "The building has no ramps or lifts; wheelchair users cannot reach the "
                "yard, the canteen or the shower without being helped.",
            },
        },
        {
            "categories": ("education", "social"),
            "severities": ("critical", "serious"),
            "refs": "Havana Rules 67; CRC art. 37",
            "root": "staff_culture",
            "title": {
                "ru": "Помещение детей в изоляцию",
                "kk": "Балаларды оқшаулауға орналастыру",
                "en": "Children placed in isolation",
            },
            "text": {
                "ru": "Детей в качестве наказания помещают на несколько дней в «комнату "
                "адаптации», без записи в журнале и без обучения в это время.",
                "kk": "Балаларды жаза ретінде бірнеше күнге «бейімделу бөлмесіне» "
                "орналастырады, журналға жазылмайды және бұл уақытта оқытылмайды.",
                "en": "Children are put in an 'adaptation room' for several days as a "
                "punishment, with no record in a register and no schooling meanwhile.",
            },
        },
    ],
    "T8": [
        {
            "categories": None,
            "severities": ("serious",),
            "refs": "UN CAT art. 12, 13",
            "root": "law",
            "title": {
                "ru": "Отсутствие независимого расследования жалоб",
                "kk": "Шағымдарды тәуелсіз тергеудің болмауы",
                "en": "No independent investigation of complaints",
            },
            "text": {
                "ru": "Жалобы на жестокое обращение проверяет то же подразделение, на "
                "сотрудников которого жалуются. Закон не обязывает передавать их прокурору.",
                "kk": "Қатыгез қарым-қатынас туралы шағымдарды шағым түскен қызметкерлер жұмыс "
                "істейтін бөлімшенің өзі тексереді. Заң оларды прокурорға беруді міндеттемейді.",
                "en": "Complaints of ill-treatment are checked by the same unit whose staff are "
                "complained about. The law does not require them to go to the prosecutor.",
            },
        },
        {
            "categories": None,
            "severities": ("moderate",),
            "refs": "Nelson Mandela Rule 84",
            "root": "resources",
            "title": {
                "ru": "Бюджет не покрывает базовых потребностей",
                "kk": "Бюджеттің негізгі қажеттіліктерді жаппауы",
                "en": "The budget does not cover basic needs",
            },
            "text": {
                "ru": "Бюджет учреждения покрывает 60% нормы на питание и медикаменты; о "
                "дефиците три года сообщается в министерство без ответа.",
                "kk": "Мекеме бюджеті тамақ пен дәрі-дәрмек нормасының 60%-ын ғана жабады; "
                "тапшылық туралы үш жыл бойы министрлікке хабарланып келеді, жауап жоқ.",
                "en": "The institution's budget covers 60% of the standard for food and "
                "medicines; the shortfall has been reported to the ministry for three years "
                "without a reply.",
            },
        },
    ],
}

# The finding of a visit that was refused access (e.g. a military guardhouse).
ACCESS_REFUSED_FINDING: dict[str, Any] = {
    "theme": "T8",
    "severities": ("serious",),
    "refs": "OPCAT art. 14, 20",
    "root": "law",
    "title": {
        "ru": "Участникам НПМ отказано в доступе",
        "kk": "ҰАТ қатысушыларына кіруге рұқсат берілмеді",
        "en": "The NPM was refused access",
    },
    "text": {
        "ru": "Группу не допустили в учреждение: командование сослалось на необходимость "
        "письменного разрешения министерства. Закон предоставляет НПМ беспрепятственный доступ "
        "без предварительного разрешения.",
        "kk": "Топ мекемеге жіберілмеді: басшылық министрліктің жазбаша рұқсаты қажет екенін "
        "айтты. Заң ҰАТ-қа алдын ала рұқсатсыз кедергісіз кіру құқығын береді.",
        "en": "The team was not let in: the command said a written permit from the ministry "
        "was needed. The law gives the NPM unhindered access without prior permission.",
    },
}

GOOD_PRACTICES: list[dict[str, Any]] = [
    {
        "theme": "T2",
        "refs": "Nelson Mandela Rule 83",
        "title": {
            "ru": "Видеозаписи хранятся 30 дней и анализируются",
            "kk": "Бейнежазбалар 30 күн сақталады және талданады",
            "en": "Video recordings kept for 30 days and reviewed",
        },
        "text": {
            "ru": "Записи хранятся 30 дней, заместитель начальника еженедельно их "
            "просматривает, просмотр документируется.",
            "kk": "Жазбалар 30 күн сақталады, бастықтың орынбасары оларды апта сайын қарап "
            "шығады, бұл құжатталады.",
            "en": "Recordings are kept for 30 days and a deputy head reviews them every week; "
            "the review is documented.",
        },
    },
    {
        "theme": "T3",
        "refs": "Nelson Mandela Rules 12–17",
        "title": {
            "ru": "Отремонтированные жилые помещения",
            "kk": "Жөнделген тұрғын бөлмелер",
            "en": "Renovated living quarters",
        },
        "text": {
            "ru": "Жилые блоки отремонтированы: комнаты на двух–четырёх человек, с естественным "
            "освещением, вентиляцией и отгороженным санузлом.",
            "kk": "Тұрғын блоктар жөнделген: екі-төрт адамға арналған бөлмелер, табиғи жарық, "
            "желдету және бөлінген дәретхана бар.",
            "en": "The living units were renovated: rooms for two to four people, with natural "
            "light, ventilation and a partitioned toilet.",
        },
    },
    {
        "theme": "T4",
        "refs": "Nelson Mandela Rules 96, 104",
        "title": {
            "ru": "Обучение и работа для всех желающих",
            "kk": "Қалаушылардың бәріне оқу мен жұмыс",
            "en": "Education and work for all who want them",
        },
        "text": {
            "ru": "Все желающие заняты на производстве или в обучении; работает колледж с "
            "программами профессий.",
            "kk": "Қалаушылардың бәрі өндірісте жұмыс істейді немесе оқиды; мамандық беретін "
            "колледж бар.",
            "en": "Everyone who wants to is working or studying; a college runs vocational "
            "programmes.",
        },
    },
    {
        "theme": "T5",
        "refs": "Nelson Mandela Rules 24, 30",
        "title": {
            "ru": "Ежедневная психологическая помощь",
            "kk": "Күнделікті психологиялық көмек",
            "en": "A psychologist available every day",
        },
        "text": {
            "ru": "Психолог работает ежедневно, беседует с каждым вновь прибывшим и ведёт "
            "группы по работе со стрессом и зависимостями.",
            "kk": "Психолог күн сайын жұмыс істейді, әрбір жаңа келгенмен әңгімелеседі және "
            "стресс пен тәуелділік бойынша топтар жүргізеді.",
            "en": "A psychologist works every day, sees every new arrival and runs groups on "
            "stress and addiction.",
        },
    },
]

# Interview content by interviewee category ("detainee_allegation": a detainee who alleges
# ill-treatment).
INTERVIEWS: dict[str, list[Texts]] = {
    "detainee_allegation": [
        {
            "ru": "Рассказал, что при задержании его били по ногам и по спине, требуя "
            "признания. Врачу при поступлении об этом не сообщил, боялся. Просит не называть "
            "его имя.",
            "kk": "Ұстау кезінде мойындауды талап етіп, аяғы мен арқасынан ұрғанын айтты. "
            "Қабылдау кезінде дәрігерге қорыққандықтан айтпаған. Атын атамауды сұрайды.",
            "en": "Said he was hit on the legs and back during the arrest to make him confess. "
            "He did not tell the doctor on admission because he was afraid. Asks not to be "
            "named.",
        },
        {
            "ru": "Говорит, что после жалобы на питание его на неделю перевели в ШИЗО, где "
            "сотрудники толкали его и угрожали. На руке видна гематома.",
            "kk": "Тамаққа шағымданғаннан кейін оны бір аптаға ШИЗО-ға ауыстырғанын, онда "
            "қызметкерлер итеріп, қорқытқанын айтады. Қолында көгерген жер көрінеді.",
            "en": "Says that after complaining about the food he was moved to the punishment "
            "cell for a week, where staff pushed and threatened him. A bruise is visible on his "
            "arm.",
        },
    ],
    "detainee": [
        {
            "ru": "Жалуется на холод в камере и на то, что письма родственникам идут по месяцу. "
            "К персоналу претензий нет. Просит помочь с записью к стоматологу.",
            "kk": "Камераның суықтығына және туыстарына хаттардың бір ай жүретініне "
            "шағымданады. Қызметкерлерге наразылығы жоқ. Тіс дәрігеріне жазылуға көмек сұрайды.",
            "en": "Complains of the cold in the cell and that letters to relatives take a month. "
            "Has no complaint about staff. Asks for help to see a dentist.",
        },
        {
            "ru": "Говорит, что на прогулку выводят не каждый день, а в душ раз в неделю. "
            "Работы нет, целый день в камере. Не знает, куда писать жалобу.",
            "kk": "Серуенге күнде шығармайтынын, душқа аптасына бір рет апаратынын айтады. "
            "Жұмыс жоқ, күні бойы камерада. Шағымды қайда жазатынын білмейді.",
            "en": "Says they are not taken out for exercise every day and can shower once a "
            "week. There is no work; the whole day is spent in the cell. Does not know where to "
            "send a complaint.",
        },
    ],
    "staff": [
        {
            "ru": "Сотрудник смены рассказал о нехватке персонала: на смене трое вместо шести. "
            "Обучения по правам человека не было. Видеокамеры в коридоре не работают с весны.",
            "kk": "Ауысым қызметкері қызметкерлердің жетіспейтінін айтты: ауысымда алты адамның "
            "орнына үшеу. Адам құқықтары бойынша оқу болмаған. Дәліздегі бейнекамералар "
            "көктемнен бері істемейді.",
            "en": "An officer on shift described the staff shortage: three on duty instead of "
            "six. There has been no human rights training. The corridor cameras have not worked "
            "since spring.",
        },
    ],
    "medical": [
        {
            "ru": "Врач медчасти подтвердил нехватку лекарств и то, что осмотры проходят в "
            "присутствии конвоя. Журнал телесных повреждений ведётся нерегулярно.",
            "kk": "Медициналық бөлімнің дәрігері дәрі-дәрмектің жетіспейтінін және тексерулер "
            "конвойдың көзінше өтетінін растады. Дене жарақаттарының журналы тұрақты "
            "жүргізілмейді.",
            "en": "The unit's doctor confirmed the shortage of medicines and that examinations "
            "take place with escorts present. The injury register is not kept regularly.",
        },
    ],
    "relative": [
        {
            "ru": "Мать содержащегося сообщила, что сын жаловался на избиения на свидании, "
            "после чего свидания прекратили. Передачи принимают не полностью.",
            "kk": "Ұсталған адамның анасы ұлы кездесуде ұрғаны туралы шағымданғанын, содан "
            "кейін кездесулер тоқтатылғанын айтты. Сәлемдемелер толық қабылданбайды.",
            "en": "A detainee's mother said her son complained of beatings during a visit, after "
            "which visits were stopped. Parcels are not fully accepted.",
        },
    ],
    "lawyer": [
        {
            "ru": "Защитник сообщила, что встречи с подзащитным проходят в комнате с камерой и "
            "под наблюдением. Дважды ей отказывали во встрече без объяснения причин.",
            "kk": "Қорғаушы қорғауындағы адаммен кездесулер камерасы бар бөлмеде, бақылаумен "
            "өтетінін айтты. Екі рет себебін түсіндірмей кездесуден бас тартқан.",
            "en": "The lawyer said meetings with her client take place in a room with a camera "
            "and under observation. Twice she was refused a meeting with no reason given.",
        },
    ],
}
PSEUDONYM: Texts = {
    "ru": "Респондент {code}",
    "kk": "Сұхбаттасушы {code}",
    "en": "Interviewee {code}",
}
PSEUDONYM_LETTERS: Texts = {"ru": "АБВГДЕЖК", "kk": "АБВГДЕЖК", "en": "ABCDEFGK"}
PRESENT: Texts = {
    "ru": "сотрудник охраны у двери",
    "kk": "есік алдындағы күзет қызметкері",
    "en": "a guard at the door",
}
BORN: Texts = {
    "ru": "{name}, {year} г. р.",
    "kk": "{name}, {year} ж. т.",
    "en": "{name}, born {year}",
}

REPORT_INTRODUCTION: Texts = {
    "ru": "Превентивное посещение учреждения «{institution}» проведено {date} группой из {n} "
    "участников НПМ. Группа осмотрела помещения, изучила документацию и провела "
    "конфиденциальные беседы с содержащимися и персоналом.",
    "kk": "«{institution}» мекемесіне превентивтік бару {date} күні ҰАТ-тың {n} қатысушысынан "
    "тұратын топпен жүргізілді. Топ үй-жайларды аралап, құжаттаманы зерделеп, ұсталғандармен "
    "және қызметкерлермен құпия әңгімелер өткізді.",
    "en": "The preventive visit to {institution} took place on {date} with a team of {n} NPM "
    "participants. The team inspected the premises, examined the records and held "
    "confidential interviews with detainees and staff.",
}
REPORT_CONCLUSION: Texts = {
    "ru": "Группа просит администрацию и вышестоящий орган сообщить о принятых мерах в "
    "течение 30 дней.",
    "kk": "Топ әкімшілік пен жоғары тұрған органнан қабылданған шаралар туралы 30 күн ішінде "
    "хабарлауды сұрайды.",
    "en": "The team asks the administration and the supervising body to report on the "
    "measures taken within 30 days.",
}

TITLES: dict[str, Texts] = {
    "planned": {
        "ru": "Плановое превентивное посещение",
        "kk": "Жоспарлы превентивтік бару",
        "en": "Planned preventive visit",
    },
    "special": {
        "ru": "Специальное посещение",
        "kk": "Арнайы бару",
        "en": "Special visit",
    },
    "follow_up": {
        "ru": "Повторное посещение: выполнение рекомендаций",
        "kk": "Қайта бару: ұсынымдардың орындалуы",
        "en": "Follow-up visit: implementation of recommendations",
    },
    "thematic": {
        "ru": "Тематическое посещение",
        "kk": "Тақырыптық бару",
        "en": "Thematic visit",
    },
    "joint": {
        "ru": "Совместное посещение с Подкомитетом ООН по предупреждению пыток",
        "kk": "БҰҰ Азаптаудың алдын алу жөніндегі кіші комитетімен бірлескен бару",
        "en": "Joint visit with the UN Subcommittee on Prevention of Torture",
    },
}
OBJECTIVES: dict[str, Texts] = {
    "planned": {
        "ru": "Оценить условия содержания и обращение, проверить соблюдение правовых гарантий.",
        "kk": "Ұстау жағдайлары мен қарым-қатынасты бағалау, құқықтық кепілдіктердің "
        "сақталуын тексеру.",
        "en": "Assess conditions and treatment; check that legal safeguards are respected.",
    },
    "special": {
        "ru": "Проверить сведения, послужившие поводом для посещения, и опросить очевидцев.",
        "kk": "Баруға себеп болған мәліметтерді тексеру және куәгерлерден сұрау.",
        "en": "Check the information that prompted the visit and interview witnesses.",
    },
    "follow_up": {
        "ru": "Проверить выполнение рекомендаций предыдущего посещения.",
        "kk": "Алдыңғы барудың ұсынымдарының орындалуын тексеру.",
        "en": "Check how the recommendations of the previous visit were implemented.",
    },
    "thematic": {
        "ru": "Изучить тему посещения во всех помещениях учреждения.",
        "kk": "Мекеменің барлық үй-жайында бару тақырыбын зерделеу.",
        "en": "Examine the theme of the visit throughout the institution.",
    },
    "joint": {
        "ru": "Сопровождение делегации ППП ООН, обмен методикой мониторинга.",
        "kk": "БҰҰ АААКК делегациясын сүйемелдеу, мониторинг әдістемесімен алмасу.",
        "en": "Accompany the SPT delegation and exchange monitoring methods.",
    },
}
TRIGGERS: dict[str, Texts] = {
    "appeal": {
        "ru": "Обращение родственника о применении силы к содержащемуся.",
        "kk": "Ұсталған адамға күш қолданылғаны туралы туысының өтініші.",
        "en": "A relative's appeal about force used against a detainee.",
    },
    "incident": {
        "ru": "Сообщение о попытке самоповреждения содержащегося.",
        "kk": "Ұсталған адамның өзіне зиян келтіру әрекеті туралы хабарлама.",
        "en": "A report of a detainee's attempted self-harm.",
    },
    "media_report": {
        "ru": "Публикация в СМИ о голодовке в учреждении.",
        "kk": "Мекемедегі аштық жариялау туралы БАҚ-тағы жарияланым.",
        "en": "A media report of a hunger strike in the institution.",
    },
}
NOTES: dict[str, Texts] = {
    "cancelled": {
        "ru": "Отменено: учреждение закрыто на карантин.",
        "kk": "Күші жойылды: мекеме карантинге жабылды.",
        "en": "Cancelled: the institution is closed for quarantine.",
    },
    "postponed": {
        "ru": "Перенесено: руководитель группы болен.",
        "kk": "Кейінге қалдырылды: топ жетекшісі науқас.",
        "en": "Postponed: the team lead is ill.",
    },
    "closed_overdue": {
        "ru": "Ответ не получен; вопрос включён в ежегодный доклад.",
        "kk": "Жауап алынбады; мәселе жыл сайынғы баяндамаға енгізілді.",
        "en": "No response received; the issue is included in the annual report.",
    },
    "returned": {
        "ru": "Уточнить ссылки на стандарты и добавить доказательства.",
        "kk": "Стандарттарға сілтемелерді нақтылап, дәлелдер қосу қажет.",
        "en": "Clarify the references to standards and add the evidence.",
    },
}
INCIDENTS: dict[str, Texts] = {
    "delay": {
        "ru": "Группу держали на КПП {minutes} минут в ожидании разрешения руководства.",
        "kk": "Топты басшылықтың рұқсатын күтіп, өткізу пунктінде {minutes} минут ұстады.",
        "en": "The team was kept at the gate for {minutes} minutes waiting for the management's "
        "permission.",
    },
    "area_denied": {
        "ru": "Не допустили в помещения дисциплинарного изолятора, сославшись на ремонт.",
        "kk": "Жөндеу жүріп жатыр деп, тәртіптік изолятор үй-жайларына жібермеді.",
        "en": "The team was not let into the disciplinary unit; staff said it was under repair.",
    },
    "refusal": {
        "ru": "Командование отказало в доступе без письменного разрешения министерства.",
        "kk": "Басшылық министрліктің жазбаша рұқсатынсыз кіруге рұқсат бермеді.",
        "en": "The command refused access without a written permit from the ministry.",
    },
    "obstruction": {
        "ru": "Сотрудник присутствовал при беседах и требовал показать записи.",
        "kk": "Қызметкер әңгімелер кезінде қатысып, жазбаларды көрсетуді талап етті.",
        "en": "An officer stayed during the interviews and demanded to see the notes.",
    },
}
INTERNAL_NOTES: list[Texts] = [
    {
        "ru": "Проверить журнал ШИЗО за последние три месяца при следующем посещении.",
        "kk": "Келесі барғанда соңғы үш айдағы ШИЗО журналын тексеру.",
        "en": "Check the punishment-cell register for the last three months on the next visit.",
    },
    {
        "ru": "Начальник обещал установить камеры в коридоре до конца квартала.",
        "kk": "Бастық тоқсан соңына дейін дәлізге камера орнатуға уәде берді.",
        "en": "The director promised cameras in the corridor by the end of the quarter.",
    },
    {
        "ru": "Двое опрошенных опасаются давления после посещения — связаться через месяц.",
        "kk": "Сұхбат бергендердің екеуі барудан кейін қысым көруден қорқады — бір айдан соң "
        "хабарласу.",
        "en": "Two interviewees fear pressure after the visit: contact them in a month.",
    },
]
CHECKLIST_TEXT: list[Texts] = [
    {
        "ru": "Журнал ведётся, но с пропусками.",
        "kk": "Журнал жүргізіледі, бірақ олқылықтары бар.",
        "en": "The register is kept, but with gaps.",
    },
    {
        "ru": "Со слов персонала, проблема известна руководству.",
        "kk": "Қызметкерлердің айтуынша, басшылық мәселені біледі.",
        "en": "According to staff, the management knows of the problem.",
    },
    {
        "ru": "Проверить повторно при следующем посещении.",
        "kk": "Келесі барғанда қайта тексеру.",
        "en": "Check again on the next visit.",
    },
]
