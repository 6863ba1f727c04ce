import { barChartSvg, lineChartSvg, ticks } from '../../../lib/runtime/explain/svg-plot';
import { escapeXml } from '../../../lib/runtime/shared/xml';

describe('lineChartSvg', () => {
  it('draws one marker per point on a polyline, with escaped labels', () => {
    const svg = lineChartSvg({ title: 'PD on <a&b>', xLabel: 'x', yLabel: 'mean prediction', x: [0, 1, 2], y: [1, 4, 7] });

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('<title>PD on &lt;a&amp;b&gt;</title>');
    expect(svg).not.toContain('NaN');
  });

  it('places categories evenly and survives a flat line', () => {
    const svg = lineChartSvg({ title: 't', xLabel: 'city', yLabel: 'y', x: ['paris', 'rome'], y: [2, 2] });

    expect(svg).toContain('>paris</text>');
    expect(svg).not.toContain('NaN');
  });
});

describe('barChartSvg', () => {
  it('draws one bar per feature, none for a negative value', () => {
    const svg = barChartSvg({ title: 'importance', labels: ['a', 'b'], values: [2, -1] });

    expect(svg.match(/<rect x="160"/g)).toHaveLength(2);
    expect(svg).toContain('width="0.0"');
  });
});

describe('ticks and escapeXml', () => {
  it('picks round steps', () => {
    expect(ticks(0, 10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(-0.3, 0.3)).toEqual([-0.2, 0, 0.2]);
    expect(ticks(0.5, 1.5)).toEqual([0.6, 0.8, 1, 1.2, 1.4].map((t) => expect.closeTo(t, 10)));
    expect(escapeXml(`"'`)).toBe('&quot;&#39;');
  });
});
