// A React 19 page that uses the Readyhand elements like any other element: typed
// properties in, DOM events out. React 19 sets a custom element's known properties
// as properties, and `on<event-name>` props become addEventListener calls.
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';

const modules = [
  { id: 'k8s-foundations/module-2', title: 'Pods and deployments' },
  { id: 'k8s-foundations/module-3', title: 'Services and networking' },
  { id: 'kubernetes', title: 'Kubernetes in general' },
];

function CoursePage() {
  const [topic, setTopic] = useState(modules[1].id);
  const [theme, setTheme] = useState('light');
  const [activity, setActivity] = useState([]);
  const log = (what) => (event) =>
    setActivity((items) => [`${what}: ${event.detail.title ?? event.detail.name ?? event.detail.body ?? ''}`, ...items].slice(0, 5));

  return (
    <main>
      <h1>Kubernetes Foundations</h1>
      <div className="controls">
        <label>
          Module{' '}
          <select value={topic} onChange={(e) => setTopic(e.target.value)}>
            {modules.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={theme === 'dark'} onChange={(e) => setTheme(e.target.checked ? 'dark' : 'light')} /> Dark
        </label>
      </div>
      {/* The provider holds the session for every widget inside it, so it reports sign-ins. */}
      <readyhand-provider onrh-signed-in={log('Signed in')}>
        <ask-expert
          topic={topic}
          theme={theme}
          onrh-question-asked={log('Asked')}
          onrh-answer-posted={log('Answered')}
        ></ask-expert>
      </readyhand-provider>
      <section aria-labelledby="activity">
        <h2 id="activity">Activity seen by React ({activity.length})</h2>
        <ul data-testid="activity">
          {activity.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <CoursePage />
  </StrictMode>,
);
