FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VAR_DIR=/data/var \
    DOWNLOAD_DIR=/data/downloads

RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 watchlist \
    && mkdir -p /data/var/media /data/downloads && chown -R watchlist /data

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files are collected at build time so the image serves them itself.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput && chown -R watchlist /data

USER watchlist
EXPOSE 8000
CMD ["gunicorn", "watchlist_project.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--timeout", "120", "--access-logfile", "-"]
