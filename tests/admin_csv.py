"""Post an admin changelist's "export CSV" action as the browser does, and read the file."""
import csv
import io


def admin_csv_export(client, url, *, selected, filename, select_across=False) -> list[dict]:
    """"Select all" still sends the page's boxes; `filename` is how the attachment starts."""
    response = client.post(
        url,
        {"action": "export_csv", "index": "0", "_selected_action": [row.pk for row in selected],
         "select_across": "1" if select_across else "0"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{filename}')
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))
