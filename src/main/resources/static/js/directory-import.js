// Sends the directory page's file as the raw request body (text/csv) rather than as multipart, so
// its size is bounded only by the import's own limit. Success lands on the import's page; a refusal
// comes back as the directory page, whose upload section (problems next to the fields) replaces ours.
(function () {
  function send(event) {
    var form = event.target;
    var file = form.elements.file.files[0];
    if (!file || !window.fetch) {
      return; // without a file the server says so next to the field; without fetch the form posts multipart
    }
    event.preventDefault();
    form.elements['import-submit'].disabled = true;
    document.getElementById('import-sending').hidden = false;
    var url = form.action + '?kind=' + encodeURIComponent(form.elements.kind.value)
        + '&fileName=' + encodeURIComponent(file.name);
    fetch(url, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      headers: {'Content-Type': 'text/csv', 'X-CSRF-TOKEN': form.elements._csrf.value, 'Accept': 'text/html'}
    }).then(function (response) {
      if (response.ok && response.redirected) {
        window.location.assign(response.url);
        return null;
      }
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('import-upload');
        if (!fresh) {
          throw new Error('unexpected answer ' + response.status);
        }
        document.getElementById('import-upload').replaceWith(fresh);
        wire();
      });
    }).catch(function () {
      form.elements['import-submit'].disabled = false;
      document.getElementById('import-sending').hidden = true;
    });
  }

  function wire() {
    var form = document.getElementById('import-form');
    if (form) {
      form.addEventListener('submit', send);
    }
  }

  document.addEventListener('DOMContentLoaded', wire);
})();
