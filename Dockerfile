# The portal image: gunicorn web process or background worker, chosen by the command.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# fonts-noto-*: the proposal PDF prints names in every script (the fallback fonts named in
# proposals/pdf/brand.py; scripts/setup.sh's PDF_FONT_PACKAGES lists the same packages).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 curl \
       fonts-noto-core fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir "pip>=25.1" && pip install --no-cache-dir --group runtime
COPY . .
# Static files are collected at build time and served by whitenoise.
RUN DEBUG=false SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v0 \
    && useradd --create-home --uid 10001 portal && mkdir -p /app/media && chown portal /app/media
USER portal
EXPOSE 8000
# No gunicorn access log: the app writes one line a request, with invite tokens redacted.
CMD ["sh", "-c", "gunicorn portal.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-4} --threads ${WEB_THREADS:-2} --timeout 60 --logger-class portal.gunicorn_logging.RedactingLogger --no-control-socket"]
