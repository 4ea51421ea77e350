"""A deterministic corpus for the suggesters: short news documents in fa, prs and ar with gold entities and triggers.

Every sentence frame below was written for this project in the forms real fa/prs/ar news take (studied, never
copied): agency attributions (``به گزارش ...``, ``ونقلت ... عن``), a spokesperson named with their office, a
speaker referred to later by the family name alone (``عراقچی افزود``, ``وقال الجبوري``), Dari terms (ولسوالی، پولیس،
بالای، شام)، Arabic conjunctions and prepositions glued to names and verbs (``وبغداد``, ``بمحافظة``, ``للعراق``,
``لـوكالة``, ``وقال``), Persian verbs with and without ``می``. Places, countries and institutions are real names
used as settings; people are invented (common given and family names combined), as are the events.

Names are drawn Zipf-like from pools, so a few recur in many documents and many are rare, and each document has a
cast it mentions repeatedly. Documents vary their spelling as scraped news does: Persian without ZWNJ or with a
space for it, Persian in Arabic letters (ي/ك), Arabic with Persian letters (ی/ک), the odd tatweel. Gold spans follow
the guidelines: glued clitics outside, the article inside, ``ولایت``/``محافظة`` inside a province's name.

``python tests/suggest_corpus.py`` rewrites ``tests/data/suggest_news.jsonl`` (150 documents; a test checks the
file is what this module generates); :func:`generate` makes any number (the benchmarks train on 1,000).
``reserve=True`` draws every name from pools the main corpus never uses: held-out sentences with unseen names.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "suggest_news.jsonl"
DEFAULT_DOCS = 150
SEED = 20240611

# --------------------------------------------------------------------------------------------- name pools
# (canonical id, {lang: [forms]}); a form list per language, the first form most common.

Pool = list[tuple[str, dict[str, list[str]]]]

GPE_COUNTRY: Pool = [
    ("gpe-iraq", {"fa": ["عراق"], "prs": ["عراق"], "ar": ["العراق"]}),
    ("gpe-iran", {"fa": ["ایران"], "prs": ["ایران"], "ar": ["إيران"]}),
    ("gpe-usa", {"fa": ["آمریکا", "ایالات متحده آمریکا"], "prs": ["امریکا", "ایالات متحده امریکا"],
                 "ar": ["الولايات المتحدة", "أمريكا"]}),
    ("gpe-afghanistan", {"fa": ["افغانستان"], "prs": ["افغانستان"], "ar": ["أفغانستان"]}),
    ("gpe-syria", {"fa": ["سوریه"], "prs": ["سوریه"], "ar": ["سوريا"]}),
    ("gpe-turkey", {"fa": ["ترکیه"], "prs": ["ترکیه"], "ar": ["تركيا"]}),
    ("gpe-russia", {"fa": ["روسیه"], "prs": ["روسیه"], "ar": ["روسيا"]}),
    ("gpe-pakistan", {"fa": ["پاکستان"], "prs": ["پاکستان"], "ar": ["باكستان"]}),
    ("gpe-saudi", {"fa": ["عربستان سعودی", "عربستان"], "prs": ["عربستان سعودی"], "ar": ["السعودية"]}),
    ("gpe-china", {"fa": ["چین"], "prs": ["چین"], "ar": ["الصين"]}),
    ("gpe-lebanon", {"fa": ["لبنان"], "prs": ["لبنان"], "ar": ["لبنان"]}),
    ("gpe-jordan", {"fa": ["اردن"], "prs": ["اردن"], "ar": ["الأردن"]}),
    ("gpe-qatar", {"fa": ["قطر"], "prs": ["قطر"], "ar": ["قطر"]}),
    ("gpe-uae", {"fa": ["امارات متحده عربی", "امارات"], "prs": ["امارات متحده عربی"],
                 "ar": ["الإمارات"]}),
    ("gpe-egypt", {"fa": ["مصر"], "prs": ["مصر"], "ar": ["مصر"]}),
    ("gpe-kuwait", {"fa": ["کویت"], "prs": ["کویت"], "ar": ["الكويت"]}),
    ("gpe-germany", {"fa": ["آلمان"], "prs": ["آلمان"], "ar": ["ألمانيا"]}),
    ("gpe-france", {"fa": ["فرانسه"], "prs": ["فرانسه"], "ar": ["فرنسا"]}),
    ("gpe-india", {"fa": ["هند"], "prs": ["هند"], "ar": ["الهند"]}),
    ("gpe-uzbekistan", {"fa": ["ازبکستان"], "prs": ["ازبکستان"], "ar": ["أوزبكستان"]}),
    ("gpe-yemen", {"fa": ["یمن"], "prs": ["یمن"], "ar": ["اليمن"]}),
    ("gpe-oman", {"fa": ["عمان"], "prs": ["عمان"], "ar": ["سلطنة عمان"]}),
]
GPE_CITY: Pool = [
    ("gpe-baghdad", {"fa": ["بغداد"], "prs": ["بغداد"], "ar": ["بغداد"]}),
    ("gpe-tehran", {"fa": ["تهران"], "prs": ["تهران"], "ar": ["طهران"]}),
    ("gpe-kabul", {"fa": ["کابل"], "prs": ["کابل"], "ar": ["كابول"]}),
    ("gpe-damascus", {"fa": ["دمشق"], "prs": ["دمشق"], "ar": ["دمشق"]}),
    ("gpe-mosul", {"fa": ["موصل"], "prs": ["موصل"], "ar": ["الموصل"]}),
    ("gpe-basra", {"fa": ["بصره"], "prs": ["بصره"], "ar": ["البصرة"]}),
    ("gpe-erbil", {"fa": ["اربیل"], "prs": ["اربیل"], "ar": ["أربيل"]}),
    ("gpe-mashhad", {"fa": ["مشهد"], "prs": ["مشهد"], "ar": ["مشهد"]}),
    ("gpe-herat", {"fa": ["هرات"], "prs": ["هرات"], "ar": ["هرات"]}),
    ("gpe-mazar", {"fa": ["مزارشریف", "مزار شریف"], "prs": ["مزارشریف", "مزار شریف"], "ar": ["مزار شريف"]}),
    ("gpe-kandahar", {"fa": ["قندهار"], "prs": ["قندهار"], "ar": ["قندهار"]}),
    ("gpe-beirut", {"fa": ["بیروت"], "prs": ["بیروت"], "ar": ["بيروت"]}),
    ("gpe-muscat", {"fa": ["مسقط"], "prs": ["مسقط"], "ar": ["مسقط"]}),
    ("gpe-doha", {"fa": ["دوحه"], "prs": ["دوحه"], "ar": ["الدوحة"]}),
    ("gpe-ankara", {"fa": ["آنکارا"], "prs": ["انقره"], "ar": ["أنقرة"]}),
    ("gpe-moscow", {"fa": ["مسکو"], "prs": ["مسکو"], "ar": ["موسكو"]}),
    ("gpe-geneva", {"fa": ["ژنو"], "prs": ["ژنو"], "ar": ["جنيف"]}),
    ("gpe-isfahan", {"fa": ["اصفهان"], "prs": ["اصفهان"], "ar": ["أصفهان"]}),
    ("gpe-bandarabbas", {"fa": ["بندرعباس"], "prs": ["بندرعباس"], "ar": ["بندر عباس"]}),
    ("gpe-ahvaz", {"fa": ["اهواز"], "prs": ["اهواز"], "ar": ["الأهواز"]}),
    ("gpe-kirkuk", {"fa": ["کرکوک"], "prs": ["کرکوک"], "ar": ["كركوك"]}),
    ("gpe-ramadi", {"fa": ["رمادی"], "prs": ["رمادی"], "ar": ["الرمادي"]}),
    ("gpe-najaf", {"fa": ["نجف"], "prs": ["نجف"], "ar": ["النجف"]}),
    ("gpe-karbala", {"fa": ["کربلا"], "prs": ["کربلا"], "ar": ["كربلاء"]}),
    ("gpe-jalalabad", {"fa": ["جلال‌آباد"], "prs": ["جلال‌آباد"], "ar": ["جلال آباد"]}),
    ("gpe-kunduz", {"fa": ["کندز"], "prs": ["کندز"], "ar": ["قندوز"]}),
    ("gpe-tabriz", {"fa": ["تبریز"], "prs": ["تبریز"], "ar": ["تبريز"]}),
    ("gpe-cairo", {"fa": ["قاهره"], "prs": ["قاهره"], "ar": ["القاهرة"]}),
    ("gpe-riyadh", {"fa": ["ریاض"], "prs": ["ریاض"], "ar": ["الرياض"]}),
    ("gpe-fallujah", {"fa": ["فلوجه"], "prs": ["فلوجه"], "ar": ["الفلوجة"]}),
    ("gpe-tikrit", {"fa": ["تکریت"], "prs": ["تکریت"], "ar": ["تكريت"]}),
    ("gpe-islamabad", {"fa": ["اسلام‌آباد"], "prs": ["اسلام‌آباد"], "ar": ["إسلام آباد"]}),
]
GPE_PROVINCE: Pool = [
    ("gpe-balkh", {"fa": ["استان بلخ", "بلخ"], "prs": ["ولایت بلخ", "بلخ"], "ar": ["ولاية بلخ"]}),
    ("gpe-anbar", {"fa": ["استان الانبار", "الانبار"], "prs": ["ولایت انبار"], "ar": ["محافظة الأنبار", "الأنبار"]}),
    ("gpe-nineveh", {"fa": ["استان نینوا", "نینوا"], "prs": ["ولایت نینوا"], "ar": ["محافظة نينوى", "نينوى"]}),
    ("gpe-khuzestan", {"fa": ["استان خوزستان", "خوزستان"], "prs": ["خوزستان"], "ar": ["خوزستان"]}),
    ("gpe-diyala", {"fa": ["استان دیاله", "دیاله"], "prs": ["دیاله"], "ar": ["محافظة ديالى", "ديالى"]}),
    ("gpe-helmand", {"fa": ["استان هلمند", "هلمند"], "prs": ["ولایت هلمند", "هلمند"], "ar": ["ولاية هلمند"]}),
    ("gpe-nangarhar", {"fa": ["ننگرهار"], "prs": ["ولایت ننگرهار", "ننگرهار"], "ar": ["ولاية ننغرهار"]}),
    ("gpe-baghlan", {"fa": ["بغلان"], "prs": ["ولایت بغلان", "بغلان"], "ar": ["ولاية بغلان"]}),
    ("gpe-kurdistan", {"fa": ["اقلیم کردستان"], "prs": ["اقلیم کردستان"], "ar": ["إقليم كردستان"]}),
    ("gpe-salahaddin", {"fa": ["استان صلاح‌الدین"], "prs": ["صلاح‌الدین"], "ar": ["محافظة صلاح الدين"]}),
    ("gpe-badakhshan", {"fa": ["بدخشان"], "prs": ["ولایت بدخشان", "بدخشان"], "ar": ["ولاية بدخشان"]}),
    ("gpe-sistan", {"fa": ["استان سیستان و بلوچستان"], "prs": ["سیستان و بلوچستان"],
                    "ar": ["محافظة سيستان وبلوشستان"]}),
]
GPE_DISTRICT: Pool = [
    ("gpe-chaharbolak", {"prs": ["ولسوالی چهاربولک"], "fa": ["شهرستان چهاربولک"], "ar": ["مديرية جهار بولك"]}),
    ("gpe-sholgara", {"prs": ["ولسوالی شولگره"], "fa": ["شولگره"], "ar": ["مديرية شولكره"]}),
    ("gpe-dawlatabad", {"prs": ["ولسوالی دولت‌آباد"], "fa": ["دولت‌آباد"], "ar": ["مديرية دولت آباد"]}),
    ("gpe-paghman", {"prs": ["ولسوالی پغمان"], "fa": ["پغمان"], "ar": ["مديرية بغمان"]}),
    ("gpe-nadali", {"prs": ["ولسوالی نادعلی"], "fa": ["نادعلی"], "ar": ["مديرية ناد علي"]}),
    ("gpe-qadisiya", {"prs": ["قضای حدیثه"], "fa": ["حدیثه"], "ar": ["قضاء حديثة"]}),
    ("gpe-sinjar", {"prs": ["سنجار"], "fa": ["سنجار"], "ar": ["قضاء سنجار"]}),
]
ORG_AGENCY: Pool = [
    ("org-irna", {"fa": ["خبرگزاری ایرنا", "ایرنا"], "prs": ["خبرگزاری ایرنا"], "ar": ["وكالة إرنا"]}),
    ("org-tasnim", {"fa": ["خبرگزاری تسنیم"], "prs": ["خبرگزاری تسنیم"], "ar": ["وكالة تسنيم"]}),
    ("org-mehr", {"fa": ["خبرگزاری مهر"], "prs": ["خبرگزاری مهر"], "ar": ["وكالة مهر"]}),
    ("org-fars", {"fa": ["خبرگزاری فارس"], "prs": ["خبرگزاری فارس"], "ar": ["وكالة فارس"]}),
    ("org-ina", {"fa": ["خبرگزاری رسمی عراق"], "prs": ["خبرگزاری رسمی عراق"],
                 "ar": ["وكالة الأنباء العراقية", "واع"]}),
    ("org-spa", {"fa": ["خبرگزاری رسمی عربستان"], "prs": ["خبرگزاری عربستان"], "ar": ["وكالة الأنباء السعودية"]}),
    ("org-bakhtar", {"fa": ["خبرگزاری باختر"], "prs": ["آژانس باختر", "خبرگزاری باختر"], "ar": ["وكالة باختر"]}),
    ("org-pajhwok", {"fa": ["آژانس خبری پژواک"], "prs": ["آژانس خبری پژواک", "پژواک"], "ar": ["وكالة باجوك"]}),
    ("org-tolo", {"fa": ["طلوع‌نیوز"], "prs": ["طلوع‌نیوز"], "ar": ["طلوع نيوز"]}),
    ("org-reuters", {"fa": ["خبرگزاری رویترز", "رویترز"],
                     "prs": ["خبرگزاری رویترز"], "ar": ["وكالة رويترز", "رويترز"]}),
    ("org-afp", {"fa": ["خبرگزاری فرانسه"], "prs": ["خبرگزاری فرانسه"], "ar": ["وكالة الصحافة الفرنسية"]}),
    ("org-shafaq", {"fa": ["شفق‌نیوز"], "prs": ["شفق‌نیوز"], "ar": ["شفق نيوز"]}),
]
ORG_MINISTRY: Pool = [
    ("org-mfa", {"fa": ["وزارت امور خارجه", "وزارت خارجه"], "prs": ["وزارت امور خارجه"], "ar": ["وزارة الخارجية"]}),
    ("org-mod", {"fa": ["وزارت دفاع"], "prs": ["وزارت دفاع ملی"], "ar": ["وزارة الدفاع"]}),
    ("org-moi", {"fa": ["وزارت کشور"], "prs": ["وزارت داخله"], "ar": ["وزارة الداخلية"]}),
    ("org-moh", {"fa": ["وزارت بهداشت"], "prs": ["وزارت صحت عامه"], "ar": ["وزارة الصحة"]}),
    ("org-moe", {"fa": ["وزارت آموزش و پرورش"], "prs": ["وزارت معارف"], "ar": ["وزارة التربية"]}),
    ("org-mot", {"fa": ["وزارت راه و شهرسازی"], "prs": ["وزارت ترانسپورت"], "ar": ["وزارة النقل"]}),
    ("org-mooil", {"fa": ["وزارت نفت"], "prs": ["وزارت معادن و پترولیم"], "ar": ["وزارة النفط"]}),
    ("org-security-media", {"fa": ["ستاد رسانه‌ای امنیت عراق"], "prs": ["دفتر رسانه‌ای امنیت"],
                            "ar": ["خلية الإعلام الأمني"]}),
    ("org-joc", {"fa": ["فرماندهی عملیات مشترک عراق"], "prs": ["قوماندانی عملیات مشترک"],
                 "ar": ["قيادة العمليات المشتركة"]}),
]
ORG_GROUP: Pool = [
    ("org-isis", {"fa": ["داعش", "گروه تروریستی داعش"], "prs": ["داعش", "گروه داعش خراسان"],
                  "ar": ["تنظيم داعش", "داعش"]}),
    ("org-taliban", {"fa": ["طالبان"], "prs": ["طالبان", "گروه طالبان"], "ar": ["حركة طالبان", "طالبان"]}),
    ("org-hezbollah", {"fa": ["حزب‌الله"], "prs": ["حزب‌الله"], "ar": ["حزب الله"]}),
    ("org-pmf", {"fa": ["حشد الشعبی"], "prs": ["حشد شعبی"], "ar": ["الحشد الشعبي"]}),
    ("org-pkk", {"fa": ["پ.ک.ک", "حزب کارگران کردستان"], "prs": ["حزب کارگران کردستان"],
                 "ar": ["حزب العمال الكردستاني"]}),
    ("org-alqaeda", {"fa": ["القاعده"], "prs": ["القاعده"], "ar": ["تنظيم القاعدة", "القاعدة"]}),
    ("org-houthis", {"fa": ["انصارالله"], "prs": ["انصارالله"], "ar": ["جماعة الحوثي", "الحوثيين"]}),
]
ORG_INTL: Pool = [
    ("org-un", {"fa": ["سازمان ملل متحد", "سازمان ملل"], "prs": ["سازمان ملل متحد", "ملل متحد"],
                "ar": ["الأمم المتحدة"]}),
    ("org-unsc", {"fa": ["شورای امنیت سازمان ملل", "شورای امنیت"], "prs": ["شورای امنیت ملل متحد"],
                  "ar": ["مجلس الأمن الدولي", "مجلس الأمن"]}),
    ("org-coalition", {"fa": ["ائتلاف بین‌المللی", "ائتلاف تحت رهبری آمریکا"],
                       "prs": ["ائتلاف بین‌المللی"], "ar": ["التحالف الدولي"]}),
    ("org-nato", {"fa": ["ناتو"], "prs": ["ناتو"], "ar": ["حلف الناتو", "الناتو"]}),
    ("org-eu", {"fa": ["اتحادیه اروپا"], "prs": ["اتحادیه اروپا"], "ar": ["الاتحاد الأوروبي"]}),
    ("org-iaea", {"fa": ["آژانس بین‌المللی انرژی اتمی"], "prs": ["آژانس بین‌المللی انرژی اتمی"],
                  "ar": ["الوكالة الدولية للطاقة الذرية"]}),
    ("org-arableague", {"fa": ["اتحادیه عرب"], "prs": ["اتحادیه عرب"], "ar": ["جامعة الدول العربية"]}),
    ("org-unama", {"fa": ["یوناما"], "prs": ["یوناما", "هیئت معاونت ملل متحد در افغانستان"], "ar": ["يوناما"]}),
    ("org-redcrescent", {"fa": ["جمعیت هلال احمر"], "prs": ["جمعیت هلال احمر افغانی"], "ar": ["الهلال الأحمر"]}),
    ("org-who", {"fa": ["سازمان جهانی بهداشت"], "prs": ["سازمان صحی جهان"], "ar": ["منظمة الصحة العالمية"]}),
    ("org-worldbank", {"fa": ["بانک جهانی"], "prs": ["بانک جهانی"], "ar": ["البنك الدولي"]}),
]
ORG_BODY: Pool = [
    ("org-majlis", {"fa": ["مجلس شورای اسلامی", "مجلس"], "prs": ["مجلس ایران"], "ar": ["مجلس الشورى الإيراني"]}),
    ("org-iraqparl", {"fa": ["پارلمان عراق"], "prs": ["پارلمان عراق"], "ar": ["مجلس النواب العراقي", "مجلس النواب"]}),
    ("org-wolesi", {"fa": ["مجلس نمایندگان افغانستان"], "prs": ["ولسی جرگه"], "ar": ["مجلس النواب الأفغاني"]}),
    ("org-meshrano", {"fa": ["مجلس سنای افغانستان"], "prs": ["مشرانو جرگه"], "ar": ["مجلس الشيوخ الأفغاني"]}),
    ("org-guardian", {"fa": ["شورای نگهبان"], "prs": ["شورای نگهبان"], "ar": ["مجلس صيانة الدستور"]}),
    ("org-kurdparl", {"fa": ["پارلمان اقلیم کردستان"], "prs": ["پارلمان کردستان"], "ar": ["برلمان إقليم كردستان"]}),
    ("org-provcouncil", {"fa": ["شورای شهر تهران"], "prs": ["شورای ولایتی بلخ"], "ar": ["مجلس محافظة البصرة"]}),
    ("org-ieс", {"fa": ["کمیسیون انتخابات"], "prs": ["کمیسیون مستقل انتخابات"], "ar": ["المفوضية العليا للانتخابات"]}),
]
ORG_COMPANY: Pool = [
    ("org-iranair", {"fa": ["هواپیمایی ایران‌ایر", "ایران‌ایر"], "prs": ["ایران‌ایر"], "ar": ["إيران إير"]}),
    ("org-ariana", {"fa": ["شرکت هوایی آریانا"], "prs": ["شرکت هوایی آریانا", "آریانا"], "ar": ["شركة آريانا"]}),
    ("org-kamair", {"fa": ["شرکت هوایی کام‌ایر"], "prs": ["شرکت هوایی کام‌ایر", "کام‌ایر"], "ar": ["شركة كام إير"]}),
    ("org-iraqiair", {"fa": ["هواپیمایی عراق"], "prs": ["هواپیمایی عراق"], "ar": ["الخطوط الجوية العراقية"]}),
    ("org-nioc", {"fa": ["شرکت ملی نفت ایران"], "prs": ["شرکت ملی نفت ایران"], "ar": ["شركة النفط الوطنية الإيرانية"]}),
    ("org-ports", {"fa": ["سازمان بنادر و دریانوردی"], "prs": ["ریاست بنادر"], "ar": ["الشركة العامة للموانئ"]}),
    ("org-somo", {"fa": ["سومو"], "prs": ["سومو"], "ar": ["شركة تسويق النفط", "سومو"]}),
    ("org-airalgerie", {"fa": ["هواپیمایی الجزایر"], "prs": ["هواپیمایی الجزایر"], "ar": ["الخطوط الجوية الجزائرية"]}),
]
ORG_ARMY: Pool = [
    ("org-irgc", {"fa": ["سپاه پاسداران", "سپاه"], "prs": ["سپاه پاسداران"], "ar": ["الحرس الثوري"]}),
    ("org-ana", {"fa": ["ارتش افغانستان"], "prs": ["اردوی ملی", "اردو"], "ar": ["الجيش الأفغاني"]}),
    ("org-iraqiarmy", {"fa": ["ارتش عراق"], "prs": ["اردوی عراق"], "ar": ["الجيش العراقي"]}),
    ("org-police", {"fa": ["نیروی انتظامی", "پلیس"], "prs": ["پولیس"], "ar": ["الشرطة الاتحادية"]}),
    ("org-civildef", {"fa": ["سازمان پدافند غیرعامل"], "prs": ["اداره ملی مبارزه با حوادث"], "ar": ["الدفاع المدني"]}),
    ("org-peshmerga", {"fa": ["پیشمرگه"], "prs": ["پیشمرگه"], "ar": ["قوات البيشمركة", "البيشمركة"]}),
]
LOC: Pool = [
    ("loc-gulf", {"fa": ["خلیج فارس"], "prs": ["خلیج فارس"], "ar": ["الخليج"]}),
    ("loc-hormuz", {"fa": ["تنگه هرمز"], "prs": ["تنگه هرمز"], "ar": ["مضيق هرمز"]}),
    ("loc-caspian", {"fa": ["دریای خزر"], "prs": ["بحیره خزر"], "ar": ["بحر قزوين"]}),
    ("loc-zagros", {"fa": ["رشته‌کوه زاگرس", "زاگرس"], "prs": ["کوه‌های زاگرس"], "ar": ["جبال زاغروس"]}),
    ("loc-karun", {"fa": ["رود کارون", "کارون"], "prs": ["دریای کارون"], "ar": ["نهر كارون"]}),
    ("loc-amu", {"fa": ["آمودریا"], "prs": ["دریای آمو"], "ar": ["نهر أمو داريا"]}),
    ("loc-hindukush", {"fa": ["هندوکش"], "prs": ["هندوکش"], "ar": ["جبال هندوكوش"]}),
    ("loc-panjshir", {"fa": ["دره پنجشیر"], "prs": ["دره پنجشیر"], "ar": ["وادي بنجشير"]}),
    ("loc-euphrates", {"fa": ["رود فرات", "فرات"], "prs": ["دریای فرات"], "ar": ["نهر الفرات", "الفرات"]}),
    ("loc-tigris", {"fa": ["رود دجله", "دجله"], "prs": ["دریای دجله"], "ar": ["نهر دجلة", "دجلة"]}),
    ("loc-mediterranean", {"fa": ["دریای مدیترانه"], "prs": ["بحیره مدیترانه"], "ar": ["البحر المتوسط"]}),
    ("loc-redsea", {"fa": ["دریای سرخ"], "prs": ["بحیره احمر"], "ar": ["البحر الأحمر"]}),
    ("loc-anbar-desert", {"fa": ["صحرای الانبار"], "prs": ["صحرای انبار"], "ar": ["صحراء الأنبار"]}),
    ("loc-sinjar-mt", {"fa": ["کوه سنجار"], "prs": ["کوه سنجار"], "ar": ["جبل سنجار"]}),
    ("loc-urmia", {"fa": ["دریاچه ارومیه"], "prs": ["دریاچه ارومیه"], "ar": ["بحيرة أورمية"]}),
    ("loc-helmand-river", {"fa": ["رود هیرمند"], "prs": ["دریای هلمند"], "ar": ["نهر هلمند"]}),
    ("loc-salang", {"fa": ["گردنه سالنگ"], "prs": ["کوتل سالنگ"], "ar": ["ممر سالانغ"]}),
]
FAC_BASE: Pool = [
    ("fac-ainalasad", {"fa": ["پایگاه عین الاسد"], "prs": ["پایگاه عین الاسد"], "ar": ["قاعدة عين الأسد"]}),
    ("fac-bagram", {"fa": ["پایگاه بگرام"], "prs": ["میدان هوایی بگرام", "بگرام"], "ar": ["قاعدة باغرام"]}),
    ("fac-victory", {"fa": ["پایگاه ویکتوری"], "prs": ["پایگاه ویکتوری"], "ar": ["قاعدة فكتوريا"]}),
    ("fac-taji", {"fa": ["پادگان التاجی"], "prs": ["قرارگاه تاجی"], "ar": ["معسكر التاجي"]}),
    ("fac-harir", {"fa": ["پایگاه حریر"], "prs": ["پایگاه حریر"], "ar": ["قاعدة حرير"]}),
    ("fac-speicher", {"fa": ["پادگان اسپایکر"], "prs": ["قرارگاه اسپایکر"], "ar": ["قاعدة سبايكر"]}),
    ("fac-nasr", {"fa": ["پادگان النصر"], "prs": ["قرارگاه نصر"], "ar": ["معسكر النصر"]}),
]
FAC_AIRPORT: Pool = [
    ("fac-ika", {"fa": ["فرودگاه بین‌المللی امام خمینی", "فرودگاه امام"], "prs": ["میدان هوایی امام خمینی"],
                 "ar": ["مطار الإمام الخميني الدولي"]}),
    ("fac-kbl", {"fa": ["فرودگاه کابل"], "prs": ["میدان هوایی بین‌المللی کابل", "میدان هوایی کابل"],
                 "ar": ["مطار كابول الدولي"]}),
    ("fac-bgw", {"fa": ["فرودگاه بغداد"], "prs": ["میدان هوایی بغداد"], "ar": ["مطار بغداد الدولي", "مطار بغداد"]}),
    ("fac-mehrabad", {"fa": ["فرودگاه مهرآباد"], "prs": ["میدان هوایی مهرآباد"], "ar": ["مطار مهرآباد"]}),
    ("fac-mzr", {"fa": ["فرودگاه مزارشریف"], "prs": ["میدان هوایی مولانا جلال‌الدین بلخی"],
                 "ar": ["مطار مزار شريف"]}),
    ("fac-ebl", {"fa": ["فرودگاه اربیل"], "prs": ["میدان هوایی اربیل"], "ar": ["مطار أربيل الدولي"]}),
]
FAC_PORT: Pool = [
    ("fac-rajaee", {"fa": ["بندر شهید رجایی"], "prs": ["بندر شهید رجایی"], "ar": ["ميناء الشهيد رجائي"]}),
    ("fac-umqasr", {"fa": ["بندر ام‌القصر"], "prs": ["بندر ام‌القصر"], "ar": ["ميناء أم قصر"]}),
    ("fac-hairatan", {"fa": ["بندر حیرتان"], "prs": ["بندر حیرتان"], "ar": ["ميناء حيرتان"]}),
    ("fac-chabahar", {"fa": ["بندر چابهار"], "prs": ["بندر چابهار"], "ar": ["ميناء تشابهار"]}),
    ("fac-faw", {"fa": ["بندر فاو"], "prs": ["بندر فاو"], "ar": ["ميناء الفاو الكبير"]}),
]
FAC_OTHER: Pool = [
    ("fac-bushehr", {"fa": ["نیروگاه اتمی بوشهر"], "prs": ["نیروگاه اتمی بوشهر"], "ar": ["محطة بوشهر النووية"]}),
    ("fac-baiji", {"fa": ["پالایشگاه بیجی"], "prs": ["پالایشگاه بیجی"], "ar": ["مصفى بيجي"]}),
    ("fac-mosuldam", {"fa": ["سد موصل"], "prs": ["بند موصل"], "ar": ["سد الموصل"]}),
    ("fac-salma", {"fa": ["سد سلما"], "prs": ["بند سلما", "بند دوستی افغان-هند"], "ar": ["سد سلمى"]}),
    ("fac-pulecharkhi", {"fa": ["زندان پل‌چرخی"], "prs": ["زندان پل‌چرخی"], "ar": ["سجن بول تشرخي"]}),
    ("fac-abughraib", {"fa": ["زندان ابوغریب"], "prs": ["زندان ابوغریب"], "ar": ["سجن أبو غريب"]}),
    ("fac-azadi", {"fa": ["ورزشگاه آزادی"], "prs": ["ورزشگاه آزادی"], "ar": ["ملعب آزادي"]}),
    ("fac-greenzone-bridge", {"fa": ["پل الجمهوریه"], "prs": ["پل جمهوریت"], "ar": ["جسر الجمهورية"]}),
    ("fac-rawda", {"fa": ["ایستگاه پمپاژ الروضه"], "prs": ["ایستگاه آب روضه"], "ar": ["محطة الروضة لضخ المياه"]}),
]

FIRST = {
    "fa": ["محمد", "علی", "حسین", "رضا", "مهدی", "حسن", "سعید", "مجید", "ناصر", "کاظم", "فاطمه", "زهرا", "مریم",
           "سمیه", "لیلا", "امیر", "بهروز", "کامران", "محمدرضا", "عباس"],
    "prs": ["احمد", "محمود", "عبدالله", "نجیب‌الله", "ذبیح‌الله", "حمیدالله", "فریده", "شکریه", "زلمی", "نصیر",
            "عبدالرحمن", "خالد", "شفیق", "گل‌آقا", "نورالله", "صدیق", "مرسل", "ویس"],
    "ar": ["أحمد", "محمد", "علي", "حسن", "خالد", "عمر", "يوسف", "سمير", "كريم", "حيدر", "مصطفى", "عادل", "فاطمة",
           "زينب", "نادية", "صباح", "إبراهيم", "ماجد"],
}
LAST = {
    "fa": ["رحیمی", "کریمی", "احمدی", "موسوی", "حسینی", "صادقی", "جعفری", "نوروزی", "قاسمی", "باقری", "شریفی",
           "عباسی", "طاهری", "صالحی‌پور", "کاظمی‌نیا", "امیری", "رضایی", "یزدانی", "قربانی", "سلطانی"],
    "prs": ["احمدزی", "صدیقی", "رحمانی", "نوری", "حکیمی", "فراهی", "هاشمی", "عثمانی", "کوهستانی", "بهادری",
            "واحدی", "ستانکزی", "وردک", "مجددی", "ننگرهاری", "پوپل", "سروری", "ملکزاده"],
    "ar": ["الحديثي", "الجبوري", "العبيدي", "الدليمي", "الخفاجي", "الزبيدي", "الساعدي", "الربيعي", "التميمي",
           "الموسوي", "الشمري", "العزاوي", "الكبيسي", "الجنابي", "الحسناوي", "البياتي", "الكعبي", "النعيمي"],
}
# Reserve pools: names the main corpus never uses (held-out sentences with unseen names).
RESERVE: dict[str, Pool] = {
    "GPE.city": [
        ("gpe-zahedan", {"fa": ["زاهدان"], "prs": ["فراه"], "ar": ["الناصرية"]}),
        ("gpe-arak", {"fa": ["اراک"], "prs": ["تالقان"], "ar": ["العمارة"]}),
        ("gpe-yazd", {"fa": ["یزد"], "prs": ["میمنه"], "ar": ["بعقوبة"]}),
        ("gpe-sanandaj", {"fa": ["سنندج"], "prs": ["شبرغان"], "ar": ["الحلة"]}),
        ("gpe-qazvin", {"fa": ["قزوین"], "prs": ["پل خمری"], "ar": ["الكوت"]}),
        ("gpe-zanjan", {"fa": ["زنجان"], "prs": ["غزنی"], "ar": ["دهوك"]}),
        ("gpe-urmia", {"fa": ["ارومیه"], "prs": ["ایبک"], "ar": ["السماوة"]}),
        ("gpe-semnan", {"fa": ["سمنان"], "prs": ["چاریکار"], "ar": ["الديوانية"]}),
    ],
    "GPE.country": [
        ("gpe-armenia", {"fa": ["ارمنستان"], "prs": ["تاجیکستان"], "ar": ["أرمينيا"]}),
        ("gpe-azerbaijan", {"fa": ["جمهوری آذربایجان"], "prs": ["ترکمنستان"], "ar": ["أذربيجان"]}),
        ("gpe-japan", {"fa": ["ژاپن"], "prs": ["قزاقستان"], "ar": ["اليابان"]}),
        ("gpe-italy", {"fa": ["ایتالیا"], "prs": ["قرغیزستان"], "ar": ["إيطاليا"]}),
    ],
    "ORG.ministry": [
        ("org-moj", {"fa": ["وزارت دادگستری"], "prs": ["وزارت عدلیه"], "ar": ["وزارة العدل"]}),
        ("org-moa", {"fa": ["وزارت جهاد کشاورزی"], "prs": ["وزارت زراعت"], "ar": ["وزارة الزراعة"]}),
        ("org-moc", {"fa": ["وزارت میراث فرهنگی"], "prs": ["وزارت اطلاعات و فرهنگ"], "ar": ["وزارة الثقافة"]}),
    ],
    "ORG.agency": [
        ("org-isna", {"fa": ["خبرگزاری ایسنا"], "prs": ["خبرگزاری آوا"], "ar": ["وكالة الأناضول"]}),
        ("org-ilna", {"fa": ["خبرگزاری ایلنا"], "prs": ["رادیو آزادی"], "ar": ["قناة العربية"]}),
    ],
    "ORG.group": [
        ("org-jaish", {"fa": ["جیش العدل"], "prs": ["حزب اسلامی"], "ar": ["جيش المهدي"]}),
        ("org-hamas", {"fa": ["حماس"], "prs": ["جبهه مقاومت ملی"], "ar": ["حركة حماس"]}),
    ],
    "LOC": [
        ("loc-alborz", {"fa": ["رشته‌کوه البرز"], "prs": ["کوه بابا"], "ar": ["جبال حمرين"]}),
        ("loc-oman-sea", {"fa": ["دریای عمان"], "prs": ["دشت لیلی"], "ar": ["هور الحويزة"]}),
    ],
    "ORG.body": [
        ("org-assembly", {"fa": ["مجلس خبرگان"], "prs": ["لویه جرگه"], "ar": ["مجلس الوزراء"]}),
        ("org-council", {"fa": ["شورای عالی امنیت ملی"], "prs": ["شورای عالی مصالحه"], "ar": ["المجلس الوطني"]}),
    ],
    "ORG.company": [
        ("org-mahan", {"fa": ["هواپیمایی ماهان"], "prs": ["شرکت هوایی صافی"], "ar": ["طيران الشام"]}),
        ("org-fly", {"fa": ["هواپیمایی آسمان"], "prs": ["شرکت برشنا"], "ar": ["فلاي بغداد"]}),
    ],
    "ORG.army": [
        ("org-basij", {"fa": ["نیروی مقاومت بسیج"], "prs": ["پولیس سرحدی"], "ar": ["جهاز مكافحة الإرهاب"]}),
        ("org-navy", {"fa": ["نیروی دریایی ارتش"], "prs": ["قطعات خاص"], "ar": ["قوات الرد السريع"]}),
    ],
    "ORG.intl": [
        ("org-unicef", {"fa": ["یونیسف"], "prs": ["یونیسف"], "ar": ["منظمة اليونيسف"]}),
        ("org-opec", {"fa": ["اوپک"], "prs": ["سازمان همکاری شانگهای"], "ar": ["منظمة أوبك"]}),
    ],
    "GPE.prov": [
        ("gpe-fars", {"fa": ["استان فارس"], "prs": ["ولایت پکتیا"], "ar": ["محافظة ميسان"]}),
        ("gpe-gilan", {"fa": ["استان گیلان"], "prs": ["ولایت کنر"], "ar": ["محافظة واسط"]}),
    ],
    "GPE.district": [
        ("gpe-khost", {"fa": ["شهرستان خاش"], "prs": ["ولسوالی خوگیانی"], "ar": ["قضاء تلعفر"]}),
        ("gpe-surobi", {"fa": ["شهرستان نیک‌شهر"], "prs": ["ولسوالی سروبی"], "ar": ["قضاء القائم"]}),
    ],
    "FAC.airport": [
        ("fac-shiraz-ap", {"fa": ["فرودگاه شیراز"], "prs": ["میدان هوایی هرات"], "ar": ["مطار النجف الدولي"]}),
    ],
    "FAC.port": [
        ("fac-anzali", {"fa": ["بندر انزلی"], "prs": ["بندر شیرخان"], "ar": ["ميناء خور الزبير"]}),
    ],
    "FAC": [
        ("fac-dam", {"fa": ["سد کرج"], "prs": ["بند کجکی"], "ar": ["سد حديثة"]}),
        ("fac-refinery", {"fa": ["پالایشگاه آبادان"], "prs": ["شاهراه سالنگ"], "ar": ["مصفى الدورة"]}),
    ],
    "FAC.base": [
        ("fac-shindand", {"fa": ["پایگاه هوایی دزفول"], "prs": ["میدان هوایی شیندند"], "ar": ["قاعدة بلد الجوية"]}),
        ("fac-kandahar-af", {"fa": ["پادگان لشکر ۹۲"], "prs": ["قرارگاه قول اردوی ۲۰۵"], "ar": ["معسكر الغزلاني"]}),
    ],
}
RESERVE_FIRST = {
    "fa": ["بابک", "شهرام", "فرهاد", "نسرین", "پروین", "داریوش", "کیوان", "ژاله"],
    "prs": ["رحمت‌الله", "قدرت‌الله", "سیما", "هلال‌الدین", "ضیاءالحق", "ملالی", "عتیق‌الله", "فرشته"],
    "ar": ["باسم", "رائد", "سلمان", "هادي", "ليلى", "وليد", "منذر", "رنا"],
}
RESERVE_LAST = {
    "fa": ["افشار", "تهرانی", "مقدم", "فرهمند", "بهرامی", "پاکزاد", "نیک‌پور", "شجاعی"],
    "prs": ["اندیشمند", "کاکر", "شینواری", "بلخی", "هروی", "جلالی", "یفتلی", "لودین"],
    "ar": ["الفتلاوي", "السامرائي", "الراوي", "العكيلي", "المالكي", "الطائي", "الأسدي", "الحلبوسي"],
}

POOLS: dict[str, tuple[str, Pool]] = {
    "GPE.country": ("GPE", GPE_COUNTRY),
    "GPE.city": ("GPE", GPE_CITY),
    "GPE.prov": ("GPE", GPE_PROVINCE),
    "GPE.district": ("GPE", GPE_DISTRICT),
    "ORG.agency": ("ORG", ORG_AGENCY),
    "ORG.ministry": ("ORG", ORG_MINISTRY),
    "ORG.group": ("ORG", ORG_GROUP),
    "ORG.intl": ("ORG", ORG_INTL),
    "ORG.body": ("ORG", ORG_BODY),
    "ORG.company": ("ORG", ORG_COMPANY),
    "ORG.army": ("ORG", ORG_ARMY),
    "LOC": ("LOC", LOC),
    "FAC.base": ("FAC", FAC_BASE),
    "FAC.airport": ("FAC", FAC_AIRPORT),
    "FAC.port": ("FAC", FAC_PORT),
    "FAC": ("FAC", FAC_OTHER),
}

# --------------------------------------------------------------------------------------------- sentence frames
# {SLOT} an entity (PER, PER.last, or a POOLS key); {و+SLOT} with a clitic glued before it (outside the span);
# [[a/b/c|TYPE]] an event trigger, one of the variants; [[و+قال/و+أكد|TYPE]] with a glued clitic; {N} a number;
# {DAY} a weekday. Everything else is plain text.

FRAMES: dict[str, list[str]] = {
    "fa": [
        ("به گزارش {ORG.agency}، {PER} سخنگوی {ORG.ministry} روز {DAY} در نشست خبری هفتگی "
         "[[گفت/اعلام کرد/تأکید کرد|STATEMENT]] که {GPE.country} به تعهدات خود پایبند است."),
        "{PER.last} [[افزود/ادامه داد/خاطرنشان کرد|STATEMENT]]: «ما در این زمینه با {ORG.intl} همکاری نزدیکی داریم.»",
        "وزیر خارجه {GPE.country} در سفر به {GPE.city} با {PER} [[دیدار کرد/دیدار و گفت‌وگو کرد|MEETING]].",
        ("شبه‌نظامیان {ORG.group} بامداد امروز به یک پاسگاه مرزی در نزدیکی {GPE.city} "
         "[[حمله کردند/یورش بردند|ATTACK]] و دو مأمور [[کشته شدند/جان باختند|KILLING]]."),
        "در این [[حمله|ATTACK]] که در {FAC.base} رخ داد، چهار نفر زخمی شدند.",
        "{ORG.body} روز {DAY} کلیات لایحه بودجه را با {N} رأی موافق [[تصویب کرد|VOTE]].",
        ("پروازهای {ORG.company} به {GPE.city} پس از طوفان شن [[متوقف شد|SUSPENSION]] "
         "و قرار است از هفته آینده [[از سر گرفته شود|RESUMPTION]]."),
        "عملیات تخلیه و بارگیری در {FAC.port} از صبح امروز [[از سر گرفته شد|RESUMPTION]].",
        "{ORG.intl} از [[خروج|WITHDRAWAL]] نیروهای خارجی از {GPE.country} تا پایان سال [[خبر داد|STATEMENT]].",
        "{ORG.ministry} [[اعزام|DEPLOYMENT]] یک گردان ویژه به {LOC} را تأیید کرد.",
        "بر اساس گزارش‌ها، سطح آب {LOC} در سال‌های اخیر به شدت کاهش یافته است.",
        "{PER} نماینده مردم {GPE.city} در {ORG.body} [[گفت|STATEMENT]] این طرح هفته آینده بررسی می‌شود.",
        "به گفته مقام‌های محلی، آتش‌سوزی در {FAC} تا ظهر مهار شد.",
        "{ORG.group} مسئولیت این [[حمله|ATTACK]] را بر عهده گرفت.",
        "[[نشست|MEETING]] مشترک {ORG.intl} و {ORG.ministry} در {GPE.city} برگزار شد.",
        ("{PER.last} همچنین از آمادگی {GPE.country} برای گسترش "
         "همکاری‌های اقتصادی با کشورهای همسایه [[خبر داد|STATEMENT]]."),
        "نرخ تورم در ماه گذشته به {N} درصد رسید.",
        ("{ORG.agency} به نقل از منابع محلی نوشت که {ORG.group} "
         "کنترل چند روستا در اطراف {GPE.city} را در دست گرفته است."),
        "رئیس‌جمهور {GPE.country} در [[دیدار|MEETING]] با {PER} درباره تحولات منطقه گفت‌وگو کرد.",
        "بر اثر انفجار یک بمب کنار جاده‌ای در {GPE.prov}، سه غیرنظامی [[کشته شدند|KILLING]].",
        "{ORG.ministry} در بیانیه‌ای [[اعلام کرد|STATEMENT]] که مرزهای زمینی با {GPE.country} بازگشایی می‌شود.",
        "مذاکرات {GPE.country} و {GPE.country} در {GPE.city} به دلیل اختلاف بر سر تحریم‌ها [[متوقف شد|SUSPENSION]].",
        "{PER} پیش از این ریاست {ORG.army} را بر عهده داشت.",
        "این نفتکش‌ها از {LOC} عبور کرده و به سمت {FAC.port} در حرکت بودند.",
        "نیروهای {ORG.group} پس از سه روز درگیری از {GPE.city} [[عقب‌نشینی کردند|WITHDRAWAL]].",
        "یگان‌های ویژه {ORG.army} در اطراف {FAC.airport} [[مستقر شدند|DEPLOYMENT]].",
        "آمار رسمی نشان می‌دهد بیش از {N} هزار نفر در ماه گذشته به {GPE.city} سفر کرده‌اند.",
        "{PER} در گفت‌وگو با {ORG.agency} [[می‌گوید/می‌گوید|STATEMENT]] که وضعیت {GPE.prov} رو به بهبود است.",
        "{ORG.body} با {N} رأی موافق طرح تعلیق همکاری با {ORG.intl} را [[تصویب کرد|VOTE]].",
        "{PER.last} درباره این [[حمله|ATTACK]] چیزی نگفت.",
    ],
    "prs": [
        ("{PER} سخنگوی {ORG.ministry} به {ORG.agency} [[گفت/گفته است|STATEMENT]] "
         "که نیروهای امنیتی در {GPE.district} عملیات پاکسازی را آغاز کرده‌اند."),
        "جنگجویان {ORG.group} شام دیروز بالای یک پاسگاه {ORG.army} در {GPE.district} [[حمله کردند|ATTACK]].",
        "در این [[حمله|ATTACK]] سه سرباز {ORG.army} [[کشته شدند/جان باختند|KILLING]] و دو تن دیگر زخمی شده‌اند.",
        "{PER} والی {GPE.prov} [[گفت|STATEMENT]] که وضعیت امنیتی در این ولایت تحت کنترل است.",
        "پروازهای {ORG.company} میان {GPE.city} و {GPE.city} پس از دو هفته [[دوباره آغاز شد|RESUMPTION]].",
        "{ORG.intl} در گزارش تازه خود [[اعلام کرده است|STATEMENT]] که شمار بیجاشدگان داخلی افزایش یافته است.",
        "{ORG.body} امروز طرح قانون رسانه‌ها را با {N} رأی [[تصویب کرد|VOTE]].",
        "نیروهای خارجی تا پایان ماه جاری از {FAC.base} [[خارج می‌شوند/خارج شدند|WITHDRAWAL]].",
        "{ORG.ministry} از [[اعزام|DEPLOYMENT]] یک کاروان کمک‌های بشری به {GPE.prov} [[خبر داد|STATEMENT]].",
        "{PER.last} [[افزود|STATEMENT]] که عاملان این رویداد شناسایی و بازداشت شده‌اند.",
        "راه {GPE.city} به {GPE.city} پس از برف‌باری شدید در {LOC} مسدود شد.",
        "[[نشست|MEETING]] مشترک مسئولان {ORG.intl} و {ORG.ministry} در {GPE.city} برگزار شد.",
        "{PER} با سفیر {GPE.country} در {GPE.city} [[دیدار کرد|MEETING]] و درباره همکاری‌های دوجانبه بحث کرد.",
        "به گفته منابع محلی، درس‌ها در مکاتب {GPE.prov} پس از رخصتی‌های زمستانی [[دوباره آغاز شد|RESUMPTION]].",
        "کار ساخت {FAC} به دلیل کمبود بودجه [[متوقف شده بود|SUSPENSION]].",
        "{ORG.group} تا کنون در این مورد چیزی نگفته‌اند.",
        "در رویداد جداگانه‌ای، یک فرمانده محلی {ORG.group} در {GPE.district} [[کشته شد|KILLING]].",
        "آمار {ORG.intl} نشان می‌دهد که قیمت مواد غذایی در بازارهای {GPE.city} بلند رفته است.",
        "نیروهای امنیتی در اطراف {FAC.airport} [[مستقر شدند|DEPLOYMENT]].",
        "{PER} رئیس {ORG.army} به خبرنگاران [[گفت|STATEMENT]]: «ما آماده همکاری با همه طرف‌ها هستیم.»",
        "به گزارش {ORG.agency}، {PER} معاون {ORG.ministry} روز {DAY} به {GPE.prov} سفر کرد.",
        "کاروان‌های تجارتی از {FAC.port} به سوی {GPE.country} در حرکت اند.",
        "{ORG.ministry} [[تعلیق|SUSPENSION]] صدور ویزه برای اتباع {GPE.country} را تأیید کرد.",
        "{PER.last} [[می‌گوید|STATEMENT]] که شماری از جنگجویان {ORG.group} به {GPE.country} فرار کرده‌اند.",
    ],
    "ar": [
        ("[[و+قال/و+أكد/و+أضاف|STATEMENT]] {PER} المتحدث باسم {ORG.ministry} "
         "في بيان، إن القوات الأمنية تمكنت من السيطرة على الوضع في {GPE.city}."),
        ("[[أعلنت|STATEMENT]] {ORG.ministry}، اليوم {DAY}، عن "
         "[[مقتل|KILLING]] خمسة مسلحين في عملية أمنية غربي {GPE.city}."),
        "[[التقى|MEETING]] رئيس الوزراء {PER} في {GPE.city} وفدًا من {ORG.intl}.",
        "وبحث الجانبان سبل تعزيز التعاون بين {GPE.country} {و+GPE.country}.",
        "وأسفر [[هجوم|ATTACK]] بطائرة مسيرة على {FAC.base} عن [[مقتل|KILLING]] جندي وإصابة اثنين آخرين.",
        "[[صوت/صوّت|VOTE]] {ORG.body} على قرار يطالب [[ب+انسحاب|WITHDRAWAL]] القوات الأجنبية من {GPE.country}.",
        "[[أعلنت|STATEMENT]] {ORG.company} [[استئناف|RESUMPTION]] رحلاتها إلى {GPE.city} اعتبارًا من الأسبوع المقبل.",
        "وكانت الشركة قد [[علقت/أوقفت|SUSPENSION]] رحلاتها إلى {GPE.city} بسبب الأوضاع الأمنية.",
        "[[نشرت|DEPLOYMENT]] {ORG.army} تعزيزات عسكرية على طول {LOC}.",
        "وأفاد مصدر أمني بأن مسلحين من {ORG.group} [[هاجموا|ATTACK]] نقطة تفتيش قرب {FAC}.",
        "ونقلت {ORG.agency} عن {PER} قوله إن المفاوضات مع {GPE.country} [[ستستأنف|RESUMPTION]] قريبًا.",
        "[[و+أكد|STATEMENT]] {PER.last} أن {GPE.country} لن تسمح باستخدام أراضيها لشن هجمات على دول الجوار.",
        "[[اجتمع|MEETING]] وزير الخارجية {PER} مع نظيره {PER} {ب+GPE.city} لبحث الملفات العالقة.",
        "تقع {FAC} على بعد {N} كيلومترًا شمال {GPE.city}.",
        "ارتفعت أسعار المواد الغذائية في أسواق {GPE.city} بنسبة {N} بالمئة خلال الشهر الماضي.",
        "[[و+قال|STATEMENT]] {PER} {لـ+ORG.agency} إن الحكومة ستعيد فتح المعابر الحدودية {مع+GPE.country}.",
        "وجاء [[تعليق|SUSPENSION]] برامج التدريب مع {ORG.intl} بعد [[الهجوم|ATTACK]] الأخير على {FAC.base}.",
        "من جهتها، [[نفت|STATEMENT]] {ORG.ministry} وجود أي قوات أجنبية {ب+GPE.prov}.",
        "[[أعلن|STATEMENT]] {ORG.group} مسؤوليته عن [[الهجوم|ATTACK]] الذي استهدف {FAC}.",
        "وقد [[انسحبت|WITHDRAWAL]] القوات من {FAC.base} بعد سنوات من الانتشار.",
        "وعقدت {ORG.intl} [[اجتماعًا|MEETING]] طارئًا في {GPE.city} لمناقشة الأوضاع الإنسانية.",
        "ويقيم آلاف النازحين في مخيمات {ب+GPE.prov} منذ سنوات.",
        "وأثار [[اغتيال|KILLING]] {PER} {في+GPE.city} موجة من الإدانات.",
        "[[و+صرح|STATEMENT]] مسؤول في {ORG.ministry} بأن المشروع سيكتمل نهاية العام.",
        "وتم [[نشر|DEPLOYMENT]] نحو {N} عنصرًا من {ORG.army} في {LOC}.",
        "[[و+استأنفت|RESUMPTION]] {ORG.company} رحلاتها {لل+GPE.country} بعد توقف دام أشهر.",
        "وتشهد {GPE.city} منذ أيام موجة حر غير مسبوقة.",
        "ولم يصدر عن {ORG.group} أي تعليق على هذه الأنباء.",
    ],
}
DAYS = {"fa": ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه"],
        "prs": ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه"],
        "ar": ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "السبت"]}
DIGITS = {"fa": "۰۱۲۳۴۵۶۷۸۹", "prs": "۰۱۲۳۴۵۶۷۸۹", "ar": "0123456789"}
_SLOT = re.compile(r"\{([^{}]+)\}|\[\[([^\[\]]+)\|([A-Z]+)\]\]")
_NON_JOINING = frozenset("اآأإٱدذرزژوؤةۀ")


# --------------------------------------------------------------------------------------------- rendering


@dataclass
class _Doc:
    lang: str
    rng: random.Random
    reserve: bool
    ortho: str
    cast: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    people: list[tuple[str, str, str]] = field(default_factory=list)  # (canonical id, full, last)
    text: list[str] = field(default_factory=list)
    length: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def emit(self, piece: str) -> tuple[int, int]:
        piece = self.spell(piece)
        start = self.length
        self.text.append(piece)
        self.length += len(piece)
        return start, self.length

    def spell(self, piece: str) -> str:
        """The document's orthography: how a scraped page of this source writes Persian or Arabic."""
        if self.ortho == "no-zwnj":
            return piece.replace("\u200c", "")
        if self.ortho == "zwnj-space":
            return piece.replace("\u200c", " ")
        if self.ortho == "arabic-letters":
            return piece.replace("ی", "ي").replace("ک", "ك")
        if self.ortho == "persian-letters":
            return piece.replace("ي", "ی").replace("ك", "ک")
        return piece


def _zipf(rng: random.Random, n: int) -> int:
    weights = [1.0 / (i + 1) for i in range(n)]
    return rng.choices(range(n), weights=weights)[0]


_RESERVE_BY_TYPE = {"GPE": "GPE.city", "ORG": "ORG.ministry", "LOC": "LOC", "FAC": "FAC.base"}


def _pool(slot: str, reserve: bool) -> tuple[str, Pool]:
    type_, pool = POOLS[slot]
    if reserve:
        return type_, RESERVE.get(slot) or RESERVE[_RESERVE_BY_TYPE[type_]]
    return type_, pool


def _name(d: _Doc, slot: str) -> tuple[str, str, str]:
    """(type, canonical id, surface form) for an entity slot, mostly from the document's cast."""
    if slot in ("PER", "PER.last"):
        if slot == "PER.last" and d.people:
            cid, _full, last = d.rng.choice(d.people)
            return "PER", cid, last
        if d.people and d.rng.random() < 0.4:
            cid, full, _last = d.rng.choice(d.people)
            return "PER", cid, full
        first_pool = RESERVE_FIRST if d.reserve else FIRST
        last_pool = RESERVE_LAST if d.reserve else LAST
        fi = _zipf(d.rng, len(first_pool[d.lang]))
        li = _zipf(d.rng, len(last_pool[d.lang]))
        first, last = first_pool[d.lang][fi], last_pool[d.lang][li]
        cid = f"per-{d.lang}-{'r' if d.reserve else 'm'}{fi}-{li}"
        full = f"{first} {last}"
        d.people.append((cid, full, last))
        return "PER", cid, full
    type_, pool = _pool(slot, d.reserve)
    cast = d.cast.setdefault(slot, [])
    if cast and d.rng.random() < 0.55:
        cid, form = d.rng.choice(cast)
        return type_, cid, form
    cid, forms = pool[_zipf(d.rng, len(pool))]
    options = forms[d.lang]
    form = options[0] if len(options) == 1 or d.rng.random() < 0.7 else d.rng.choice(options[1:])
    cast.append((cid, form))
    return type_, cid, form


def _tatweel(rng: random.Random, form: str) -> str:
    """The odd tatweel a typesetter stretches a name with (after a joining letter, before another letter)."""
    spots = [i for i in range(1, len(form) - 1)
             if form[i - 1].isalpha() and form[i].isalpha() and form[i - 1] not in _NON_JOINING
             and form[i - 1] != "\u200c"]
    if not spots:
        return form
    i = rng.choice(spots)
    return form[:i] + "\u0640" + form[i:]


def _number(d: _Doc) -> str:
    n = str(d.rng.choice([12, 25, 48, 150, 189, 207, 3, 5, 40, 15]))
    return "".join(DIGITS[d.lang][int(c)] for c in n)


def _entity(d: _Doc, spec: str) -> None:
    clitic, _, slot = spec.rpartition("+")
    type_, cid, form = _name(d, slot)
    if d.lang == "ar" and d.rng.random() < 0.06:
        form = _tatweel(d.rng, form)
    if clitic in ("في", "مع"):  # a separate preposition, written with a space
        d.emit(clitic + " ")
        clitic = ""
    if clitic == "لل" or (clitic == "ل" and form.startswith("ال")):
        d.emit("ل")
        form = "ل" + form[2:] if form.startswith("ال") else form  # ل + ال: the article's alef is not written
    elif clitic:
        d.emit(clitic)
    s, e = d.emit(form)
    d.entities.append({"start": s, "end": e, "type": type_, "canonical_id": cid})


def _trigger(d: _Doc, variants: str, type_: str) -> None:
    choice = d.rng.choice(variants.split("/"))
    clitic, _, word = choice.rpartition("+")
    if clitic:
        d.emit(clitic)
    s, e = d.emit(word)
    d.events.append({"start": s, "end": e, "type": type_})


def _render(d: _Doc, frame: str) -> None:
    pos = 0
    for m in _SLOT.finditer(frame):
        if m.start() > pos:
            d.emit(frame[pos:m.start()])
        if m.group(1) is not None:
            spec = m.group(1)
            if spec == "DAY":
                d.emit(d.rng.choice(DAYS[d.lang]))
            elif spec == "N":
                d.emit(_number(d))
            else:
                _entity(d, spec)
        else:
            _trigger(d, m.group(2), m.group(3))
        pos = m.end()
    if pos < len(frame):
        d.emit(frame[pos:])


_ORTHOS = {"fa": [("standard", 0.55), ("no-zwnj", 0.2), ("zwnj-space", 0.1), ("arabic-letters", 0.15)],
           "prs": [("standard", 0.6), ("no-zwnj", 0.25), ("zwnj-space", 0.15)],
           "ar": [("standard", 0.85), ("persian-letters", 0.15)]}


def document(index: int, *, seed: int = SEED, reserve: bool = False, lang: str | None = None) -> dict[str, Any]:
    """Document ``index`` of the corpus of ``seed``: id, lang, text, gold entities and event triggers."""
    rng = random.Random(f"{seed}:{index}:{reserve}")
    lang = lang or ("fa", "prs", "ar")[index % 3]
    orthos, weights = zip(*_ORTHOS[lang], strict=True)
    d = _Doc(lang=lang, rng=rng, reserve=reserve, ortho=rng.choices(orthos, weights=weights)[0])
    frames = FRAMES[lang]
    chosen = rng.sample(range(len(frames)), k=rng.randint(5, 8))
    for k, fi in enumerate(chosen):
        if k:
            d.emit("\n\n" if k % 3 == 0 else " ")
        _render(d, frames[fi])
    text = "".join(d.text)
    prefix = "r" if reserve else "s"
    doc_id = f"{prefix}{lang}-{index:04d}"
    for x in (*d.entities, *d.events):
        x["text"] = text[x["start"]:x["end"]]
    return {"id": doc_id, "lang": lang, "ortho": d.ortho, "text": text,
            "split": split_of(doc_id) if not reserve else "heldout",
            "entities": d.entities, "events": d.events}


# --------------------------------------------------------------------------------------------- hand-written held-out
# Sentences written apart from the frames above, in other constructions (an ostandar, a bank, a district's
# education head, a police chief quoted by rank, ...), every name one the pools never use. [[text|TYPE]] marks a
# gold entity; a glued clitic stays outside the brackets. What a tagger learnt from the frames has to carry over.

HANDWRITTEN_HELDOUT: list[tuple[str, str]] = [
    ("fa", "[[کوروش نامداری|PER]] استاندار [[کرمانشاه|GPE]] صبح امروز از خسارت سیل در شهرهای غربی استان خبر داد."),
    ("fa", "به گفته [[بهناز ملکوتی|PER]]، معاون [[سازمان هواشناسی|ORG]]، بارش برف تا پایان هفته در [[اردبیل|GPE]] "
           "ادامه دارد."),
    ("fa", "هیئتی از [[بانک مرکزی|ORG]] برای بررسی بازار ارز به [[گرگان|GPE]] سفر کرد."),
    ("fa", "[[تورج صفاییان|PER]] مدیرعامل [[شرکت فولاد مبارکه|ORG]] گفت تولید در سه ماه نخست سال افزایش یافته است."),
    ("fa", "کامیون‌های حامل سوخت از [[گذرگاه مرزی میلک|FAC]] وارد [[زابل|GPE]] شدند."),
    ("fa", "رئیس‌جمهور [[ونزوئلا|GPE]] در سفر به [[همدان|GPE]] با [[فرزانه دلاوری|PER]] دیدار کرد."),
    ("fa", "سطح آب [[دریاچه بختگان|LOC]] به پایین‌ترین حد در دهه گذشته رسیده است."),
    ("fa", "[[دلاوری|PER]] افزود که [[سازمان محیط زیست|ORG]] برنامه تازه‌ای برای احیای تالاب‌ها دارد."),
    ("prs", "[[عزیزالله رسولی|PER]] رئیس معارف [[ولایت غور|GPE]] گفت که سی مکتب در این ولایت بسته شده است."),
    ("prs", "به اساس معلومات [[کمیسیون حقوق بشر افغانستان|ORG]]، شمار تلفات ملکی در [[ولسوالی سرخرود|GPE]] "
            "افزایش یافته است."),
    ("prs", "[[نرگس سلیمانخیل|PER]] فعال حقوق زنان در [[فیض‌آباد|GPE]] به [[رادیو سلام وطندار|ORG]] گفت که دختران "
            "از رفتن به مکتب باز مانده اند."),
    ("prs", "[[وزارت امور مهاجرین|ORG]] از بازگشت دو هزار خانواده به [[ولایت لوگر|GPE]] خبر داد."),
    ("prs", "سیلاب‌های موسمی در [[دره کوکچه|LOC]] ده‌ها خانه را ویران کرد."),
    ("prs", "[[سلیمانخیل|PER]] افزود که کمک‌ها هنوز به [[ولسوالی وردوج|GPE]] نرسیده است."),
    ("prs", "کار بازسازی [[سرک کابل-جلال‌آباد|FAC]] پس از سه ماه دوباره آغاز شد."),
    ("prs", "[[شاه‌محمود فایق|PER]] سخنگوی [[شاروالی هرات|ORG]] گفت که پاکسازی جاده‌ها ادامه دارد."),
    ("ar", "أفاد مدير شرطة [[سامراء|GPE]] العقيد [[ضياء الكرخي|PER]] بأن دورية تعرضت لإطلاق نار."),
    ("ar", "وأوضح [[البنك المركزي العراقي|ORG]] في بيان أن احتياطي العملة الأجنبية ارتفع."),
    ("ar", "أعلنت [[وزارة الكهرباء|ORG]] خطة لزيادة ساعات التجهيز في [[محافظة ذي قار|GPE]]."),
    ("ar", "والتقى السفير [[لؤي المشهداني|PER]] بوزير خارجية [[تونس|GPE]] في مقر الوزارة."),
    ("ar", "وصل وفد من [[جامعة الموصل|ORG]] إلى [[السليمانية|GPE]] للمشاركة في مؤتمر علمي."),
    ("ar", "وشهدت [[بحيرة الحبانية|LOC]] انخفاضًا كبيرًا في منسوب المياه هذا الصيف."),
    ("ar", "وقال [[المشهداني|PER]] إن [[تونس|GPE]] مستعدة لاستقبال الطلبة العراقيين."),
    ("ar", "وأغلقت السلطات [[منفذ زرباطية الحدودي|FAC]] أمام حركة المسافرين لمدة يومين."),
]
_MARKED = re.compile(r"\[\[([^|\]]+)\|([A-Z]+)\]\]")


def marked(index: int, lang: str, source: str) -> dict[str, Any]:
    """A corpus record from a sentence with ``[[text|TYPE]]`` entity marks (id ``h<lang>-<index>``)."""
    text, entities, pos = "", [], 0
    for m in _MARKED.finditer(source):
        text += source[pos:m.start()]
        entities.append({"start": len(text), "end": len(text) + len(m.group(1)), "text": m.group(1),
                         "type": m.group(2)})
        text += m.group(1)
        pos = m.end()
    text += source[pos:]
    return {"id": f"h{lang}-{index:04d}", "lang": lang, "ortho": "standard", "text": text, "split": "heldout",
            "entities": entities, "events": []}


def handwritten_heldout() -> list[dict[str, Any]]:
    """The hand-written held-out sentences as corpus records."""
    return [marked(i, lang, s) for i, (lang, s) in enumerate(HANDWRITTEN_HELDOUT)]


def split_of(doc_id: str) -> str:
    """``test`` for a fifth of the documents (by the hash of the id), else ``train``."""
    return "test" if int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:8], 16) % 5 == 0 else "train"


def generate(n: int, *, seed: int = SEED, reserve: bool = False, start: int = 0) -> Iterator[dict[str, Any]]:
    """Documents ``start .. start+n-1`` of the corpus."""
    for i in range(start, start + n):
        yield document(i, seed=seed, reserve=reserve)


def to_models(record: dict[str, Any], author: str = "gold") -> tuple[Any, Any]:
    """A corpus record as a :class:`annotate.models.Document` and its gold :class:`AnnotationSet`."""
    from annotate.models import AnnotationSet, AnnotationStatus, AuthorKind, Document, EntityMention, Event, Trigger

    doc = Document.create(record["text"], lang=record["lang"], id=record["id"])
    ents = [EntityMention(id=f"e{i}", start=e["start"], end=e["end"], text=e["text"], type=e["type"],
                          canonical_id=e.get("canonical_id")) for i, e in enumerate(record["entities"])]
    evs = [Event(id=f"v{i}", type=v["type"], trigger=Trigger(start=v["start"], end=v["end"], text=v["text"]))
           for i, v in enumerate(record["events"])]
    gold = author == "gold"
    aset = AnnotationSet(doc_id=doc.id, author=author, author_kind=AuthorKind.gold if gold else AuthorKind.human,
                         status=AnnotationStatus.gold if gold else AnnotationStatus.submitted,
                         entities=ents, events=evs)
    return doc, aset


def fill(store: Any, gold: int, fresh: int = 0, *, actor: str = "test") -> list[dict[str, Any]]:
    """Put the committed corpus's first ``gold`` documents into ``store`` with their gold sets, and the next
    ``fresh`` ones without any annotation; returns the records put (gold first)."""
    records = load()[: gold + fresh]
    pairs = [to_models(r) for r in records]
    store.documents.put([d for d, _ in pairs], actor=actor)
    for _, aset in pairs[:gold]:
        store.sets.save(aset, base_revision=0, actor=actor)
    return records


def load(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """The committed corpus file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dumps(records: Sequence[dict[str, Any]]) -> str:
    """JSON Lines, one document per line (what the committed file holds)."""
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)


if __name__ == "__main__":  # pragma: no cover - the script that writes the committed corpus
    n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DOCS
    DATA_FILE.write_text(dumps(list(generate(n))), encoding="utf-8")
    print(f"wrote {n} documents to {DATA_FILE}")
