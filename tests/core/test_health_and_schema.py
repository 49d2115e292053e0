from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from extensions import db


def test_healthz_reports_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "db": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        },
        instance_path=str(tmp_path),
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["db"] == "unreachable"


def test_migrations_match_the_models(app):
    """The equivalent of `flask db check`: the migrated schema has nothing the models lack."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_vendor_assets_are_served_from_packages_not_a_cdn(client):
    with client.get("/vendor/bootstrap/dist/css/bootstrap.rtl.min.css") as css:
        assert css.status_code == 200 and b"bootstrap" in css.data[:400].lower()
    assert client.get("/vendor/../pyproject.toml").status_code == 404
    assert client.get("/vendor/some-other-package/index.js").status_code == 404
    page = client.get("/").get_data(as_text=True)
    assert "https://" not in page and "http://cdn" not in page
