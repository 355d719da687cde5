"""The help lines' words for translation: country names and the notes of helplines.json.

The file is data, which makemessages cannot read; these marks put its words in the
catalogues, and the help page shows each through gettext. Organisations' names, numbers
and addresses are not translated. tests/care/test_helpline_words.py fails when the file
has a word that is not listed here (and prints the line to add).
"""

from django.utils.translation import pgettext_lazy

COUNTRIES = (
    pgettext_lazy("country", "Australia"),
    pgettext_lazy("country", "Brasil (Brazil)"),
    pgettext_lazy("country", "Canada"),
    pgettext_lazy("country", "Deutschland (Germany)"),
    pgettext_lazy("country", "España (Spain)"),
    pgettext_lazy("country", "France"),
    pgettext_lazy("country", "United Kingdom"),
    pgettext_lazy("country", "Ireland"),
    pgettext_lazy("country", "India"),
    pgettext_lazy("country", "Italia (Italy)"),
    pgettext_lazy("country", "日本 (Japan)"),
    pgettext_lazy("country", "Nederland (Netherlands)"),
    pgettext_lazy("country", "Aotearoa New Zealand"),
    pgettext_lazy("country", "Sverige (Sweden)"),
    pgettext_lazy("country", "United States"),
    pgettext_lazy("country", "South Africa"),
)
NOTES = (
    pgettext_lazy("help line", "Police: 190. Ambulance (SAMU): 192. Fire: 193."),
    pgettext_lazy(
        "help line", "Serves Ontario. Shelters in every province and territory: sheltersafe.ca."
    ),
    pgettext_lazy("help line", "Police: 110."),
    pgettext_lazy("help line", "Medical (SAMU): 15. Police: 17. Fire: 18."),
    pgettext_lazy("help line", "112 works too."),
    pgettext_lazy(
        "help line", "For England. Scotland: 0800 027 1234. Wales: Live Fear Free, 0808 80 10 800."
    ),
    pgettext_lazy("help line", "999 works too."),
    pgettext_lazy("help line", "Ambulance and fire: 119. Police: 110."),
    pgettext_lazy("help line", "Or call 113."),
    pgettext_lazy("help line", "Call or text."),
    pgettext_lazy("help line", "From a mobile phone. Police: 10111. Ambulance: 10177."),
    pgettext_lazy(
        "help line",
        "Free, confidential help lines in many countries, searchable by country and topic.",
    ),
    pgettext_lazy(
        "help line",
        "The International Association for Suicide Prevention's directory of crisis centres.",
    ),
    pgettext_lazy("help line", "Emotional support centres around the world."),
    pgettext_lazy(
        "help line", "An international directory of domestic-abuse agencies and hotlines."
    ),
)
