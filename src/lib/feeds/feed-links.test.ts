import { describe, expect, it } from 'vitest';
import { feedPaths, feedUrl, googleSubscribeUrl, webcalUrl } from './feed-links.ts';

describe('feed links', () => {
	const url = feedUrl('https://buurt.example', feedPaths.activity('abc'), 'en');
	it('carries the language only when it is not Dutch', () => {
		expect(feedUrl('https://buurt.example', feedPaths.activity('abc'))).toBe('https://buurt.example/feeds/activity/abc.ics');
		expect(url).toBe('https://buurt.example/feeds/activity/abc.ics?lang=en');
	});
	it('subscribes with webcal:// and through Google Calendar', () => {
		expect(webcalUrl(url)).toBe('webcal://buurt.example/feeds/activity/abc.ics?lang=en');
		expect(webcalUrl('http://localhost:3000/x.ics')).toBe('webcal://localhost:3000/x.ics');
		expect(googleSubscribeUrl(url)).toBe(
			'https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fbuurt.example%2Ffeeds%2Factivity%2Fabc.ics%3Flang%3Den'
		);
	});
});
