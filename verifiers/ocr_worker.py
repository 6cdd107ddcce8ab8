"""Entry point of one OCR worker process (`python -m verifiers.ocr_worker`), started by
verifiers.raster.run_jobs; it serves page jobs over its stdin/stdout until the pipe closes."""

from verifiers.raster import serve

if __name__ == "__main__":
    serve()
