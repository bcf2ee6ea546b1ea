"""`flask portal ...`: the commands operators and the worker run."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.extensions import db

portal_cli = AppGroup("portal", help="Ontmoetingen portal commands.")


@portal_cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(["coordinator", "facilitator", "organisation_member"]),
              required=True)
@click.option("--organisation", "organisation_name", default=None,
              help="Organisation name (for organisation members).")
@click.option("--municipality", "municipality_names", multiple=True,
              help="Municipality name (facilitators); repeat for more.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email, display_name, role, organisation_name, municipality_names,
                        password):
    """Create a staff account."""
    import sqlalchemy as sa

    from portal.auth.models import Role
    from portal.auth.service import create_user
    from portal.directory.models import Municipality, Organisation
    from portal.errors import DomainError

    organisation = None
    if organisation_name:
        organisation = db.session.scalar(
            sa.select(Organisation).where(Organisation.name == organisation_name))
        if organisation is None:
            raise click.ClickException(f"No organisation named {organisation_name!r}.")
    municipalities = []
    for name in municipality_names:
        municipality = db.session.scalar(sa.select(Municipality).where(Municipality.name == name))
        if municipality is None:
            raise click.ClickException(f"No municipality named {name!r}.")
        municipalities.append(municipality)
    try:
        user = create_user(email, display_name, Role(role), password,
                           organisation=organisation, municipalities=municipalities)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")


@portal_cli.command("seed")
def seed_command():
    """Add the defaults every installation needs (themes, ...); safe to run again."""
    from portal.seed import seed_defaults

    added = seed_defaults()
    db.session.commit()
    click.echo(f"Defaults in place ({added} added).")


@portal_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when no account exists yet.")
def demo_command(if_empty):
    """Load the Lingewaard demo and print its logins."""
    from portal.demo import DEMO_PASSWORD, has_accounts, load_demo

    if if_empty and has_accounts():
        click.echo("Accounts exist already: demo data not loaded.")
        return
    logins = load_demo()
    db.session.commit()
    click.echo("Demo data loaded. Log in at /account/inloggen with password "
               f"{DEMO_PASSWORD!r} as:")
    for email, description in logins:
        click.echo(f"  {email:<40} {description}")


@portal_cli.command("worker")
@click.option("--once", is_flag=True, help="Run every due job once, then stop.")
def worker_command(once):
    """Run the background jobs on their schedule (mail, reminders, purge, ...)."""
    from portal.jobs import run_worker

    run_worker(once=once)


def _register_jobs():
    from portal.jobs import register_job_commands

    register_job_commands(portal_cli)


_register_jobs()
