"""`flask --app app lms ...`: the commands trainers and operators run, gathered from the
features that own them."""

import click

from lms.activation import cli as activation
from lms.certificates import cli as certificates
from lms.content import cli as content
from lms.demo import cli as demo
from lms.evaluation import cli as evaluation
from lms.nudges import cli as nudges
from lms.org import cli as org
from lms.people import cli as people


@click.group(help="Melek: course content, demo data and maintenance.")
def lms():
    pass


for feature in (activation, certificates, content, demo, evaluation, nudges, org, people):
    for command in feature.COMMANDS:
        lms.add_command(command)
