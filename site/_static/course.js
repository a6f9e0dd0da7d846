/* The course website: alternative text for the explorers' figures, a note that they are saved
 * views, and a MathJax 2 call that the widget renderer makes, answered by MathJax 3.
 *
 * The explorers' saved state is drawn by ipywidgets' html-manager (vendor/html-manager),
 * whose images carry no alt attribute. Each stored figure output has one in its metadata
 * ("alt": the figure's titles, see p2plib.viz.figure_alt); this gives it to the <img> the
 * manager draws, or, for a figure stored without one, names the explorer it belongs to.
 */
(function () {
  "use strict";
  const STATE = "application/vnd.jupyter.widget-state+json";
  const alts = new Map();  // base64 PNG -> alt text

  function readState() {
    for (const script of document.querySelectorAll(`script[type="${STATE}"]`)) {
      let state;
      try {
        state = JSON.parse(script.textContent).state || {};
      } catch (error) {
        continue;
      }
      for (const model of Object.values(state)) {
        for (const output of (model.state && model.state.outputs) || []) {
          const png = output.data && output.data["image/png"];
          const alt = output.metadata && output.metadata["image/png"] &&
            output.metadata["image/png"].alt;
          if (png && alt) {
            alts.set(String(png).replace(/\s/g, ""), alt);
          }
        }
      }
    }
  }

  function explorerTitle(img) {
    const box = img.closest(".widget-vbox");
    const heading = box && box.querySelector("h3");
    return heading ? heading.textContent.trim() : "an explorer";
  }

  function label(root) {
    for (const img of root.querySelectorAll(".widget-output img:not([alt])")) {
      const src = img.getAttribute("src") || "";
      const png = src.slice(src.indexOf(",") + 1).replace(/\s/g, "");
      img.alt = alts.get(png) ||
        `The figure of the explorer "${explorerTitle(img)}" as the notebook was last run`;
    }
  }

  // The widgets' HTML controls typeset maths with MathJax 2's MathJax.Hub.Queue; the site has
  // MathJax 3 (no Hub): give each MathJax object that appears the one call they make.
  const hub = {
    Queue(command) {
      const element = Array.isArray(command) ? command[2] : null;
      const mathjax = window.MathJax;
      if (element && mathjax && mathjax.typesetPromise) {
        mathjax.typesetPromise([element]).catch(function () {});
      }
    },
  };
  let mathjax = window.MathJax;
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get() {
      return mathjax;
    },
    set(value) {
      mathjax = value;
      if (value && value.version && !value.Hub) {
        value.Hub = hub;
      }
    },
  });

  function note(root) {
    for (const area of root.querySelectorAll(".cell_output .widget-subarea")) {
      const previous = area.previousElementSibling;
      if (previous && previous.classList.contains("course-explorer-note")) {
        continue;
      }
      const text = document.createElement("p");
      text.className = "course-explorer-note";
      text.textContent = "An explorer, as the notebook was last run: to move its controls, " +
        "launch the chapter (the rocket button at the top of the page).";
      area.parentElement.insertBefore(text, area);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    readState();
    label(document);
    note(document);
    new MutationObserver(function () {
      label(document);
      note(document);
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
