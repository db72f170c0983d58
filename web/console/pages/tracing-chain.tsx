/**
 * The transmission chain of a case (`GET /api/cases/:id/chain`, purpose `contact_tracing`) drawn as
 * an SVG graph — one column per generation, nodes coloured by classification or contact role (the
 * legend says which), labels masked as the server gives them, exposure dates on the edges — and,
 * for screen readers and copying, the same nodes and links as two tables.
 */
import { label, t } from '../i18n.ts';
import type { ChainEdgeView as ChainEdge, ChainNodeView as ChainNode, ChainView as Chain } from '../../../src/domain/views/tracing.ts';
import { NODE_KINDS } from './tracing-shared.ts';

const R = 16;
const COL_W = 280;
const ROW_H = 92;
/** Room for a centred label as long as a case number (`110105-20261201-…`, about 190 px). */
const PAD_X = 120;
const PAD_Y = 34;

interface Placed {
  node: ChainNode;
  x: number;
  y: number;
}

/** A node's label as shown: the masked name or case number the server gave, or "not shown". */
export function nodeLabel(n: ChainNode): string {
  return n.label ?? t('tracing.chain.unnamed');
}

/** Columns by generation; inside a column, ordered by the position of the node's parent, then id. */
export function layoutChain(chain: Chain): { placed: Map<string, Placed>; width: number; height: number } {
  const gens = [...new Set(chain.nodes.map((n) => n.generation))].sort((a, b) => a - b);
  const placed = new Map<string, Placed>();
  let rows = 1;
  gens.forEach((g, col) => {
    const parentY = (n: ChainNode) => {
      const ys = chain.edges.filter((e) => e.to === n.id).map((e) => placed.get(e.from)?.y).filter((y): y is number => y !== undefined);
      return ys.length ? Math.min(...ys) : 0;
    };
    const column = chain.nodes.filter((n) => n.generation === g).sort((a, b) => parentY(a) - parentY(b) || a.id.localeCompare(b.id));
    rows = Math.max(rows, column.length);
    column.forEach((node, i) => placed.set(node.id, { node, x: PAD_X + col * COL_W, y: PAD_Y + R + i * ROW_H }));
  });
  return { placed, width: PAD_X * 2 + Math.max(0, gens.length - 1) * COL_W, height: PAD_Y * 2 + R * 2 + (rows - 1) * ROW_H + 18 };
}

function Edge({ e, placed }: { e: ChainEdge; placed: Map<string, Placed> }) {
  const a = placed.get(e.from);
  const b = placed.get(e.to);
  if (!a || !b) return null;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const [x1, y1] = [a.x + (dx / len) * R, a.y + (dy / len) * R];
  const [x2, y2] = [b.x - (dx / len) * (R + 4), b.y - (dy / len) * (R + 4)];
  const mx = (x1 + x2) / 2;
  const my = (y1 + y2) / 2;
  const text = e.exposureDate ?? t('common.none');
  return (
    <g class={`chain-edge edge-${e.kind}`} data-edge={e.id}>
      <line x1={x1} y1={y1} x2={x2} y2={y2} marker-end="url(#chain-arrow)">
        <title>{`${nodeLabel(a.node)} → ${nodeLabel(b.node)}: ${label('exposure', e.exposureType)} ${text}`}</title>
      </line>
      <text x={mx} y={my - 7} class="chain-edge-label" text-anchor="middle">{text}</text>
    </g>
  );
}

function Node({ p }: { p: Placed }) {
  const n = p.node;
  const date = n.confirmationDate ?? n.reportDate;
  return (
    <g class={`chain-node kind-${n.kind}`} data-node={n.id}>
      <circle cx={p.x} cy={p.y} r={R}>
        <title>{`${nodeLabel(n)} · ${label('trNode', n.kind)}${n.caseNumbers.length ? ` · ${n.caseNumbers.join(', ')}` : ''}`}</title>
      </circle>
      <text x={p.x} y={p.y + R + 15} class={`chain-label label-${n.labelKind}`} text-anchor="middle">{nodeLabel(n)}</text>
      {date ? <text x={p.x} y={p.y + R + 30} class="chain-date" text-anchor="middle">{date}</text> : null}
    </g>
  );
}

export function ChainGraph({ chain }: { chain: Chain }) {
  const { placed, width, height } = layoutChain(chain);
  return (
    <figure class="chain" data-testid="chain-graph">
      <svg data-testid="chain-svg" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby="chain-svg-title chain-svg-desc">
        <title id="chain-svg-title">{t('tracing.chain.svgTitle')}</title>
        <desc id="chain-svg-desc">{t('tracing.chain.svgDesc', { nodes: chain.nodes.length, edges: chain.edges.length })}</desc>
        <defs>
          <marker id="chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="chain-arrow" />
          </marker>
        </defs>
        {chain.edges.map((e) => <Edge key={e.id} e={e} placed={placed} />)}
        {[...placed.values()].map((p) => <Node key={p.node.id} p={p} />)}
      </svg>
      <figcaption class="legend" aria-hidden="true">
        {NODE_KINDS.map((k) => <span key={k}><span class={`swatch kind-${k}`} /> {label('trNode', k)}</span>)}
      </figcaption>
    </figure>
  );
}

/** The accessible alternative: every node and link of the graph, as tables. */
export function ChainTables({ chain }: { chain: Chain }) {
  const byId = new Map(chain.nodes.map((n) => [n.id, n]));
  const name = (id: string) => {
    const n = byId.get(id);
    return n ? nodeLabel(n) : t('common.none');
  };
  return (
    <div class="chain-tables">
      <table class="list" data-testid="chain-nodes">
        <caption>{t('tracing.chain.nodesTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tracing.chain.person')}</th><th scope="col">{t('tracing.chain.kind')}</th><th scope="col">{t('cases.caseNumber')}</th>
            <th scope="col">{t('cases.reportDate')}</th><th scope="col">{t('case.confirmationDate')}</th><th scope="col" class="num">{t('tracing.chain.generation')}</th>
          </tr>
        </thead>
        <tbody>
          {chain.nodes.map((n) => (
            <tr key={n.id}>
              <td><span class={n.labelKind === 'masked_name' ? 'masked' : ''}>{nodeLabel(n)}</span></td>
              <td><span class={`swatch kind-${n.kind}`} aria-hidden="true" /> {label('trNode', n.kind)}</td>
              <td>{n.caseNumbers.join(', ') || t('common.none')}</td>
              <td>{n.reportDate ?? t('common.none')}</td>
              <td>{n.confirmationDate ?? t('common.none')}</td>
              <td class="num">{n.generation}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table class="list" data-testid="chain-edges">
        <caption>{t('tracing.chain.edgesTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tracing.chain.from')}</th><th scope="col">{t('tracing.chain.to')}</th><th scope="col">{t('tracing.chain.link')}</th>
            <th scope="col">{t('field.exposureType')}</th><th scope="col">{t('tracing.chain.exposureDate')}</th>
          </tr>
        </thead>
        <tbody>
          {chain.edges.length === 0 ? <tr><td colSpan={5} class="empty">{t('tracing.chain.noEdges')}</td></tr> : null}
          {chain.edges.map((e) => (
            <tr key={e.id}>
              <td>{name(e.from)}</td>
              <td>{name(e.to)}</td>
              <td>{label('trNode', e.kind)}</td>
              <td>{label('exposure', e.exposureType)}</td>
              <td>{e.exposureDate ?? t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
