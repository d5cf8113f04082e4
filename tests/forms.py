"""Submitting admin forms in tests as a browser would: read the rendered form."""

from html.parser import HTMLParser

from django.urls import reverse


class BrowserForm(HTMLParser):
    """The fields a browser would submit from the form with id ``form_id``."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {"name": name, "selected": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["selected"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            values = self.select["selected"] or [self.select["first"]]
            self.fields.extend((self.select["name"], v) for v in values if v is not None)
            self.select = None

    def data(self):
        data = {}
        for name, value in self.fields:
            if "__prefix__" not in name:
                data.setdefault(name, []).append(value)
        return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def form_data(response, form_id="article_form"):
    """The fields of the form ``form_id`` on a rendered page, submitted with "Lưu"."""
    assert response.status_code == 200, response.status_code
    parser = BrowserForm(form_id)
    parser.feed(response.content.decode())
    return parser.data() | {"_save": "Lưu"}


def change_form_data(client, article):
    """The article's change form as the admin renders it, ready to POST back."""
    return form_data(client.get(reverse("admin:articles_article_change", args=[article.pk])))


def inline_management(prefix, total=0, initial=0):
    """The management form of an admin inline formset, for hand-built POSTs."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
