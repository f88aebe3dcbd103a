"""What every form carries: the hidden fields the form macro (components/forms.html `form`)
renders into each POST form, from whichever parts of the app need one — the CSRF token on
the web and kiosk, the signed state in the widget's frame, the kiosk desk's defaults.

Each part registers a provider; a provider looks at the current request and returns
(name, value) pairs, or nothing where it has no say.
"""
from flask import current_app

KEY = "form_carriers"


def init_app(app):
    app.extensions[KEY] = []
    app.add_template_global(carried_fields)


def carry(app, provider):
    app.extensions[KEY].append(provider)


def carried_fields():
    return [field for provider in current_app.extensions[KEY] for field in provider()]
