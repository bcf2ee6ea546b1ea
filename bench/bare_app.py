"""The yardstick: a bare Flask app returning a page of about the same size, no database."""
from flask import Flask

app = Flask(__name__)
PAGE = "<!doctype html><html lang='nl'><head><title>Bare</title></head><body>" + (
    "<p>Vier ontmoetingen met mensen uit jouw buurt.</p>" * 40) + "</body></html>"


@app.route("/")
def home():
    return PAGE
