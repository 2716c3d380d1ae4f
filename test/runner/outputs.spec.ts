import { describe, expect, it } from 'vitest';
import { OutputCollector, type NbOutput } from '../../src/runner/outputs';

describe('OutputCollector', () => {
  it('merges consecutive streams of one name, not across names', () => {
    const c = new OutputCollector();
    c.add({ msg_type: 'stream', content: { name: 'stdout', text: 'a\n' } });
    c.add({ msg_type: 'stream', content: { name: 'stdout', text: 'b\n' } });
    c.add({ msg_type: 'stream', content: { name: 'stderr', text: 'e\n' } });
    c.add({ msg_type: 'stream', content: { name: 'stdout', text: 'c\n' } });
    c.add({ msg_type: 'status', content: { execution_state: 'idle' } });
    expect(c.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'stream', name: 'stderr', text: 'e\n' },
      { output_type: 'stream', name: 'stdout', text: 'c\n' }
    ]);
  });

  it('honours clear_output, also with wait, and keeps error tracebacks', () => {
    const c = new OutputCollector();
    c.add({ msg_type: 'stream', content: { name: 'stdout', text: '10%' } });
    c.add({ msg_type: 'clear_output', content: { wait: true } });
    // Still shown until the next output arrives.
    expect(c.outputs).toHaveLength(1);
    c.add({ msg_type: 'stream', content: { name: 'stdout', text: '20%' } });
    expect(c.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '20%' }
    ]);
    c.add({ msg_type: 'clear_output', content: { wait: false } });
    c.add({
      msg_type: 'error',
      content: { ename: 'ValueError', evalue: 'bad', traceback: ['t1', 't2'] }
    });
    expect(c.outputs).toEqual([
      {
        output_type: 'error',
        ename: 'ValueError',
        evalue: 'bad',
        traceback: ['t1', 't2']
      }
    ]);
  });

  it('updates a display shown by an earlier cell of the same run', () => {
    const displays = new Map<string, NbOutput[]>();
    const first = new OutputCollector(displays);
    first.add({
      msg_type: 'display_data',
      content: {
        data: { 'text/plain': 'old' },
        metadata: {},
        transient: { display_id: 'd1' }
      }
    });
    const second = new OutputCollector(displays);
    second.add({
      msg_type: 'update_display_data',
      content: {
        data: { 'text/plain': 'new' },
        metadata: {},
        transient: { display_id: 'd1' }
      }
    });
    expect(first.outputs).toEqual([
      {
        output_type: 'display_data',
        data: { 'text/plain': 'new' },
        metadata: {}
      }
    ]);
    expect(second.outputs).toEqual([]);
  });

  it('takes the execution count from execute_input and execute_result', () => {
    const c = new OutputCollector();
    c.add({ msg_type: 'execute_input', content: { execution_count: 7 } });
    expect(c.executionCount).toBe(7);
    c.add({
      msg_type: 'execute_result',
      content: { data: { 'text/plain': '2' }, metadata: {}, execution_count: 7 }
    });
    expect(c.outputs[0]).toMatchObject({ execution_count: 7 });
  });
});
